package dev.filestaging.adapter.s3;

import dev.filestaging.ports.ByteRange;
import static org.assertj.core.api.Assertions.assertThat;

import dev.filestaging.adapter.s3.testing.FaultInjectingProxy;
import dev.filestaging.adapter.s3.testing.S3TestServer;
import dev.filestaging.ports.FileKey;
import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.out.CommitOutcome;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * S3 does what was asked but the answer is lost (a 500 after the write): the SDK retries, and the retry must not be
 * mistaken for someone else's work. Behind a {@link FaultInjectingProxy}, so this S3Proxy does not check signatures.
 */
class S3LostAnswerTest {
    private static final String BUCKET = "lost-answers";
    private static final StagingArea AREA = StagingArea.defaultProjectOf(new OrganizationId("acme"));

    @TempDir
    static Path serverDirectory;
    private static S3TestServer s3;
    private static FaultInjectingProxy proxy;
    private static S3StagingStore store;

    @BeforeAll
    static void start() throws Exception {
        s3 = S3TestServer.startWithoutAuthentication(serverDirectory);
        s3.createBucket(BUCKET);
        proxy = new FaultInjectingProxy(s3.endpoint());
        store = S3StagingStore.open(new S3Settings(BUCKET, S3TestSettings.PREFIX, S3TestServer.REGION, proxy.endpoint(),
                true, S3Settings.MIN_PART_SIZE_BYTES, Duration.ofSeconds(5), true, S3Settings.DEFAULT_ORPHAN_AGE));
    }

    @AfterAll
    static void stop() {
        store.close();
        proxy.close();
        s3.close();
    }

    @Test
    void a_name_record_written_but_answered_500_is_recognised_as_ours_when_the_retry_finds_it() throws Exception {
        byte[] content = new byte[100_000];
        new Random(9).nextBytes(content);
        FileKey key = new FileKey(AREA, "written-once.csv");
        proxy.failNext(FaultInjectingProxy.Request::isNameRecordWrite, 1, 500, true);

        CommitOutcome outcome = S3StagingStoreTest.stage(store, key, content);

        assertThat(proxy.failedRequests()).isEqualTo(1);
        assertThat(outcome).isInstanceOf(CommitOutcome.Committed.class);
        assertThat(store.find(key)).isPresent();
        try (InputStream stored = store.open(key, ByteRange.WHOLE).orElseThrow().content()) {
            assertThat(stored.readAllBytes()).isEqualTo(content);
        }
    }
}
