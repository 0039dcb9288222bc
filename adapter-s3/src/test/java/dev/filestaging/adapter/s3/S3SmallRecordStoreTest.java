package dev.filestaging.adapter.s3;

import dev.filestaging.adapter.s3.testing.S3TestServer;
import dev.filestaging.ports.contract.SmallRecordStoreContractTest;
import dev.filestaging.ports.out.SmallRecordStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

class S3SmallRecordStoreTest extends SmallRecordStoreContractTest {

    private static final AtomicInteger BUCKETS = new AtomicInteger();

    @TempDir
    static Path serverDirectory;
    private static S3TestServer s3;
    private String bucket;
    private final List<S3StagingStore> stores = new ArrayList<>();

    @BeforeAll
    static void startS3() throws Exception {
        s3 = S3TestServer.start(serverDirectory);
    }

    @AfterAll
    static void stopS3() {
        s3.close();
    }

    @AfterEach
    void close() {
        stores.forEach(S3StagingStore::close);
    }

    @Override
    protected SmallRecordStore newStore() {
        bucket = "records-" + BUCKETS.incrementAndGet();
        s3.createBucket(bucket);
        return sameStorage();
    }

    @Override
    protected SmallRecordStore sameStorage() {
        S3StagingStore store = S3StagingStore.open(S3TestSettings.forBucket(s3, bucket));
        stores.add(store);
        return store.smallRecords();
    }
}
