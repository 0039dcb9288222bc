package dev.filestaging.adapter.s3.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.filestaging.adapter.s3.client.S3Settings;
import dev.filestaging.adapter.s3.testing.S3TestServerExtension;
import dev.filestaging.ports.out.StorageException;
import java.io.InputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * {@link S3BlobStore#copyIn}: an object of the bucket becomes a finished blob by a copy inside the store, in one
 * {@code CopyObject} or, above the single-copy limit, in {@code UploadPartCopy} parts (made small here so that a few
 * MiB cross it), checked byte for byte through the blob store's own read.
 */
class S3BlobCopyTest {

    @RegisterExtension
    static final S3TestServerExtension S3 = new S3TestServerExtension();

    private static final long PART = S3Settings.MIN_PART_SIZE_BYTES;

    @Test
    void an_object_above_the_single_copy_limit_is_copied_in_parts_and_reads_the_same() throws Exception {
        String bucket = S3.newBucket("copy");
        byte[] bytes = new byte[(int) (2 * PART + 12345)];
        new Random(7).nextBytes(bytes);
        S3.server().client().putObject(b -> b.bucket(bucket).key("legacy/content"), RequestBody.fromBytes(bytes));
        try (S3BlobStore blobs = S3BlobStore.open(S3TestSettings.forBucket(S3.server(), bucket))) {
            blobs.copyIn("legacy/content", bytes.length, "copied-in-parts-0001", PART, PART);
            blobs.copyIn("legacy/content", bytes.length, "copied-at-once-00001");

            for (String blob : new String[] {"copied-in-parts-0001", "copied-at-once-00001"}) {
                try (InputStream in = blobs.read(blob, 0, bytes.length).orElseThrow()) {
                    assertThat(in.readAllBytes()).as(blob).isEqualTo(bytes);
                }
            }
            assertThat(S3.server().openMultipartUploads(bucket)).isEmpty();
            // copying again (a migration run again) gives the same blob
            blobs.copyIn("legacy/content", bytes.length, "copied-in-parts-0001", PART, PART);
            try (InputStream in = blobs.read("copied-in-parts-0001", 0, bytes.length).orElseThrow()) {
                assertThat(in.readAllBytes()).isEqualTo(bytes);
            }
        }
    }

    @Test
    void a_source_of_another_size_than_expected_or_missing_is_refused() {
        String bucket = S3.newBucket("copy");
        S3.server().client().putObject(b -> b.bucket(bucket).key("legacy/short"), RequestBody.fromBytes(new byte[10]));
        try (S3BlobStore blobs = S3BlobStore.open(S3TestSettings.forBucket(S3.server(), bucket))) {
            assertThatThrownBy(() -> blobs.copyIn("legacy/short", 11, "wrong-size-blob-0001"))
                    .isInstanceOf(StorageException.class).hasMessageContaining("not the 11 expected");
            assertThatThrownBy(() -> blobs.copyIn("legacy/missing", 10, "missing-src-blob-01"))
                    .isInstanceOf(StorageException.class);
        }
    }
}
