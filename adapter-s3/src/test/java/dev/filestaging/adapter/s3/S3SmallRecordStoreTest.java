package dev.filestaging.adapter.s3;

import dev.filestaging.adapter.s3.testing.S3TestServerExtension;
import dev.filestaging.ports.contract.SmallRecordStoreContractTest;
import dev.filestaging.ports.out.SmallRecordStore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;

class S3SmallRecordStoreTest extends SmallRecordStoreContractTest {

    @RegisterExtension
    static final S3TestServerExtension S3 = new S3TestServerExtension();
    private String bucket;
    private final List<S3StagingStore> stores = new ArrayList<>();

    @AfterEach
    void close() {
        stores.forEach(S3StagingStore::close);
    }

    @Override
    protected SmallRecordStore newStore() {
        bucket = S3.newBucket("records");
        return sameStorage();
    }

    @Override
    protected SmallRecordStore sameStorage() {
        S3StagingStore store = S3StagingStore.open(S3TestSettings.forBucket(S3.server(), bucket));
        stores.add(store);
        return store.smallRecords();
    }
}
