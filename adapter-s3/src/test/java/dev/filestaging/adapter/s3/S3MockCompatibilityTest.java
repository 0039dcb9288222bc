package dev.filestaging.adapter.s3;

import dev.filestaging.ports.ByteRange;
import static dev.filestaging.adapter.s3.S3StagingStoreTest.awaitTrue;
import static dev.filestaging.adapter.s3.S3StagingStoreTest.md5;
import static dev.filestaging.adapter.s3.S3StagingStoreTest.stage;
import static org.assertj.core.api.Assertions.assertThat;

import dev.filestaging.adapter.s3.testing.S3TestServer;
import dev.filestaging.adapter.s3.testing.S3TestServerExtension;
import dev.filestaging.ports.FileKey;
import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.StoredFile;
import dev.filestaging.ports.out.CommitOutcome;
import dev.filestaging.ports.out.PendingFile;
import java.io.InputStream;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The store against a second, independent S3 implementation, Adobe S3Mock, which also verifies the checksums the SDK
 * sends with every part. (S3Mock evaluates If-None-Match without a lock, so races are proven against S3Proxy only.)
 */
class S3MockCompatibilityTest {

    private static final StagingArea AREA = StagingArea.defaultProjectOf(new OrganizationId("acme"));
    private static final String BUCKET = "compatibility";

    @RegisterExtension
    static final S3TestServerExtension S3MOCK = new S3TestServerExtension(S3TestServer.Kind.S3MOCK);
    private static S3TestServer s3;
    private static S3StagingStore store;

    @BeforeAll
    static void start() {
        s3 = S3MOCK.server();
        s3.createBucket(BUCKET);
        store = S3StagingStore.open(S3TestSettings.forBucket(s3, BUCKET)); // includes the conditional-write probe
    }

    @AfterAll
    static void stop() {
        store.close();
    }

    @Test
    void a_multipart_upload_round_trips_and_is_listed_found_and_deleted() throws Exception {
        byte[] content = new byte[11 * 1024 * 1024 + 7];
        new Random(11).nextBytes(content);
        FileKey key = new FileKey(AREA, "eleven-mib.bin");

        StoredFile staged = ((CommitOutcome.Committed) stage(store, key, content)).file();

        assertThat(store.list(AREA)).containsExactly(staged);
        assertThat(stage(store, key, new byte[1])).isEqualTo(new CommitOutcome.AlreadyExists(staged));
        try (InputStream in = store.open(key, ByteRange.WHOLE).orElseThrow().content()) {
            assertThat(md5(in.readAllBytes())).isEqualTo(md5(content));
        }
        assertThat(store.delete(key)).contains(staged);
        assertThat(store.find(key)).isEmpty();
        assertThat(s3.objects(BUCKET, S3TestSettings.PREFIX + "areas/")).as("no content or record left").isEmpty();
        assertThat(s3.objects(BUCKET, "")).as("nothing but the store's heartbeat")
                .allMatch(object -> object.key().startsWith(S3TestSettings.PREFIX + "instances/"));
    }

    @Test
    void an_abandoned_multipart_upload_is_aborted() {
        byte[] part = new byte[(int) S3Settings.MIN_PART_SIZE_BYTES];
        try (PendingFile pending = store.create(new FileKey(AREA, "abandoned.bin"))) {
            pending.write(part, 0, part.length);
            pending.write(part, 0, part.length);
            awaitTrue(() -> !s3.openMultipartUploads(BUCKET).isEmpty());
        }
        assertThat(s3.openMultipartUploads(BUCKET)).isEmpty();
        assertThat(s3.objects(BUCKET, "staging/areas/")).isEmpty();
    }
}
