package dev.filestaging.adapter.s3.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.filestaging.adapter.s3.client.S3Settings;
import dev.filestaging.adapter.s3.testing.S3TestServer;
import dev.filestaging.ports.out.StorageException.StorageUnavailableException;
import dev.filestaging.ports.out.blob.BlobWriter;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * S3 stopped and started again under the blob store: every call fails as unavailable (the 503 of the API) within a
 * few request timeouts instead of hanging, the store serves again once S3 is back, and a blob cut off by the outage is
 * removed whole by the delete its caller makes then.
 */
class S3OutageTest {

    private static final String BUCKET = "outage";
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    @TempDir
    Path serverDirectory;
    private S3TestServer s3;
    private S3BlobStore store;

    @BeforeEach
    void start() throws Exception {
        s3 = S3TestServer.start(serverDirectory);
        s3.createBucket(BUCKET);
        store = S3BlobStore.open(settings());
    }

    @AfterEach
    void stop() {
        store.close();
        s3.close();
    }

    private S3Settings settings() {
        return new S3Settings(BUCKET, S3TestSettings.PREFIX, S3TestServer.REGION, s3.endpoint(), true,
                S3Settings.MIN_PART_SIZE_BYTES, TIMEOUT);
    }

    @Test
    void while_s3_is_down_every_call_fails_as_unavailable_within_the_timeout_and_recovers_after() throws Exception {
        finish("before-outage-0001", "a\n".getBytes());
        s3.stop();

        Instant started = Instant.now();
        assertThatThrownBy(() -> store.read("before-outage-0001", 0, 2).orElseThrow().readAllBytes())
                .isInstanceOfAny(StorageUnavailableException.class, java.io.IOException.class);
        assertThatThrownBy(() -> store.delete("before-outage-0001")).isInstanceOf(StorageUnavailableException.class);
        assertThatThrownBy(() -> finish("during-outage-0001", "b\n".getBytes()))
                .isInstanceOf(StorageUnavailableException.class);
        assertThat(store.health().serving()).isFalse();
        assertThat(Duration.between(started, Instant.now())).isLessThan(TIMEOUT.multipliedBy(4 * 3));

        s3.start();

        try (InputStream in = store.read("before-outage-0001", 0, 2).orElseThrow()) {
            assertThat(in.readAllBytes()).isEqualTo("a\n".getBytes());
        }
        finish("during-outage-0001", "b\n".getBytes());
        assertThat(store.health().serving()).isTrue();
    }

    @Test
    void a_blob_cut_off_by_an_outage_fails_and_its_delete_once_s3_is_back_leaves_nothing() throws Exception {
        byte[] part = new byte[(int) S3Settings.MIN_PART_SIZE_BYTES];
        try (BlobWriter writer = store.create("cut-off-blob-0001")) {
            writer.write(part, 0, part.length);
            writer.write(part, 0, part.length);
            writer.sync();
            s3.stop();
            assertThatThrownBy(() -> {
                for (int i = 0; i < 4; i++) {
                    writer.write(part, 0, part.length);
                }
                writer.finish();
            }).isInstanceOf(StorageUnavailableException.class);
        }

        s3.start();
        store.delete("cut-off-blob-0001");

        assertThat(s3.openMultipartUploads(BUCKET)).isEmpty();
        assertThat(s3.objects(BUCKET, "")).as("no part, tail or object left").isEmpty();
    }

    @Test
    void a_store_cannot_be_opened_while_s3_is_down() {
        s3.stop();
        assertThatThrownBy(() -> S3BlobStore.open(settings()))
                .isInstanceOf(StorageUnavailableException.class)
                .hasMessageContaining("could not be reached");
    }

    private void finish(String blobId, byte[] bytes) {
        try (BlobWriter writer = store.create(blobId)) {
            writer.write(bytes, 0, bytes.length);
            writer.finish();
        }
    }
}
