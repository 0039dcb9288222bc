package dev.filestaging.adapter.s3;

import static dev.filestaging.adapter.s3.S3StagingStoreTest.awaitTrue;
import static dev.filestaging.adapter.s3.S3StagingStoreTest.stage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.filestaging.adapter.s3.testing.S3TestServer;
import dev.filestaging.ports.FileKey;
import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.out.CommitOutcome;
import dev.filestaging.ports.out.PendingFile;
import dev.filestaging.ports.out.StorageException.StorageUnavailableException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** S3 taken away and brought back: failures are prompt and retryable, nothing is left half-done, recovery is automatic. */
class S3OutageTest {

    private static final StagingArea AREA = StagingArea.defaultProjectOf(new OrganizationId("acme"));
    private static final String BUCKET = "outage";
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    @TempDir
    Path serverDirectory;
    private S3TestServer s3;
    private S3StagingStore store;

    @BeforeEach
    void start() throws Exception {
        s3 = S3TestServer.start(serverDirectory);
        s3.createBucket(BUCKET);
        store = S3StagingStore.open(settings());
    }

    @AfterEach
    void stop() {
        store.close();
        s3.close();
    }

    private S3Settings settings() {
        return new S3Settings(BUCKET, S3TestSettings.PREFIX, S3TestServer.REGION, s3.endpoint(), true,
                S3Settings.MIN_PART_SIZE_BYTES, TIMEOUT, true, S3Settings.DEFAULT_ORPHAN_AGE);
    }

    @Test
    void while_s3_is_down_every_call_fails_as_unavailable_within_the_timeout_and_recovers_after() throws Exception {
        FileKey key = new FileKey(AREA, "before.csv");
        stage(store, key, "a\n".getBytes());
        s3.stop();

        Instant started = Instant.now();
        assertThatThrownBy(() -> store.find(key)).isInstanceOf(StorageUnavailableException.class);
        assertThatThrownBy(() -> store.list(AREA)).isInstanceOf(StorageUnavailableException.class);
        assertThatThrownBy(() -> store.delete(key)).isInstanceOf(StorageUnavailableException.class);
        assertThatThrownBy(() -> stage(store, new FileKey(AREA, "during.csv"), "b\n".getBytes()))
                .isInstanceOf(StorageUnavailableException.class);
        assertThat(Duration.between(started, Instant.now())).isLessThan(TIMEOUT.multipliedBy(4 * 2));

        s3.start();

        assertThat(store.find(key)).isPresent();
        assertThat(stage(store, new FileKey(AREA, "during.csv"), "b\n".getBytes()))
                .isInstanceOf(CommitOutcome.Committed.class);
        assertThat(store.list(AREA)).hasSize(2);
    }

    @Test
    void an_upload_cut_off_by_an_outage_fails_and_is_cleaned_up_once_s3_is_back() throws Exception {
        byte[] part = new byte[(int) S3Settings.MIN_PART_SIZE_BYTES];
        FileKey key = new FileKey(AREA, "cut-off.bin");
        try (PendingFile pending = store.create(key)) {
            pending.write(part, 0, part.length);
            pending.write(part, 0, part.length);
            awaitTrue(() -> !s3.openMultipartUploads(BUCKET).isEmpty());
            s3.stop();
            assertThatThrownBy(() -> {
                for (int i = 0; i < 4; i++) {
                    pending.write(part, 0, part.length);
                }
                pending.commit(S3StagingStoreTest.metadata(key, new byte[0]));
            }).isInstanceOf(StorageUnavailableException.class);
        }
        assertThat(store.pendingDiscards()).isEqualTo(1);

        s3.start();

        awaitTrue(() -> store.pendingDiscards() == 0);
        assertThat(s3.openMultipartUploads(BUCKET)).isEmpty();
        assertThat(s3.objects(BUCKET, S3TestSettings.PREFIX + "areas/")).as("no content or record left").isEmpty();
        assertThat(s3.objects(BUCKET, "")).as("nothing but the store's heartbeat")
                .allMatch(object -> object.key().startsWith(S3TestSettings.PREFIX + "instances/"));
        assertThat(store.find(key)).isEmpty();
    }

    @Test
    void a_store_cannot_be_opened_while_s3_is_down() {
        s3.stop();
        assertThatThrownBy(() -> S3StagingStore.open(settings()))
                .isInstanceOf(StorageUnavailableException.class)
                .hasMessageContaining("could not be reached");
    }
}
