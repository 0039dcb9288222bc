package dev.filestaging.adapter.s3.blob;

import static org.assertj.core.api.Assertions.assertThat;

import dev.filestaging.adapter.s3.client.S3Settings;
import dev.filestaging.adapter.s3.testing.S3TestServer;
import dev.filestaging.adapter.s3.testing.S3TestServerExtension;
import dev.filestaging.ports.out.blob.BlobWriter;
import java.io.InputStream;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The blob store against a second, independent S3 implementation, Adobe S3Mock, which also verifies the checksums the
 * SDK sends with every part: a blob of several parts round-trips and is deleted, an abandoned one leaves nothing.
 */
class S3MockCompatibilityTest {

    private static final String BUCKET = "compatibility";

    @RegisterExtension
    static final S3TestServerExtension S3MOCK = new S3TestServerExtension(S3TestServer.Kind.S3MOCK);
    private static S3TestServer s3;
    private static S3BlobStore store;

    @BeforeAll
    static void start() {
        s3 = S3MOCK.server();
        s3.createBucket(BUCKET);
        store = S3BlobStore.open(S3TestSettings.forBucket(s3, BUCKET));
    }

    @AfterAll
    static void stop() {
        store.close();
    }

    @Test
    void a_blob_of_several_parts_round_trips_and_is_deleted() throws Exception {
        byte[] content = new byte[11 * 1024 * 1024 + 7];
        new Random(11).nextBytes(content);
        try (BlobWriter writer = store.create("eleven-mib-blob-0001")) {
            for (int at = 0; at < content.length; at += 256 * 1024) {
                writer.write(content, at, Math.min(256 * 1024, content.length - at));
            }
            assertThat(writer.finish()).isEqualTo(content.length);
        }
        try (InputStream in = store.read("eleven-mib-blob-0001", 0, content.length).orElseThrow()) {
            assertThat(in.readAllBytes()).isEqualTo(content);
        }
        store.delete("eleven-mib-blob-0001");
        assertThat(store.read("eleven-mib-blob-0001", 0, 1)).isEmpty();
        assertThat(s3.objects(BUCKET, S3TestSettings.PREFIX)).as("nothing left").isEmpty();
    }

    @Test
    void an_abandoned_blob_of_several_parts_is_deleted_with_its_multipart_upload() {
        byte[] part = new byte[(int) S3Settings.MIN_PART_SIZE_BYTES];
        try (BlobWriter writer = store.create("abandoned-blob-0001")) {
            writer.write(part, 0, part.length);
            writer.write(part, 0, part.length);
            writer.sync();
        }
        store.delete("abandoned-blob-0001");
        assertThat(s3.openMultipartUploads(BUCKET)).isEmpty();
        assertThat(s3.objects(BUCKET, S3TestSettings.PREFIX)).isEmpty();
    }
}
