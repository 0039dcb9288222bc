package dev.filestaging.adapter.s3.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.filestaging.adapter.s3.client.ChecksumMode;
import dev.filestaging.adapter.s3.testing.S3TestServer;
import dev.filestaging.adapter.s3.testing.S3TestServerExtension;
import dev.filestaging.ports.out.blob.BlobWriter;
import java.io.InputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What Ceph RGW 16 does differently from AWS that the blob store must handle: it refuses the SDK's trailer
 * checksums, so the store falls back to sending them only where required when automatic, and says which setting to
 * change when they are forced. (Its ignoring of {@code If-Match} on deletes and its conditional writes mattered to the
 * retired bucket-only catalog; names are the PostgreSQL catalog's now.)
 */
class RgwCompatibilityTest {

    @RegisterExtension
    static final S3TestServerExtension RGW = new S3TestServerExtension(S3TestServer.Kind.CEPH_RGW);
    private final S3TestServer rgw = RGW.server();

    @Test
    void optional_checksums_are_dropped_when_automatic_and_named_in_the_error_when_forced() throws Exception {
        String bucket = RGW.newBucket("rgw");
        assertThat(S3TestSettings.forBucket(rgw, bucket).checksums()).isEqualTo(ChecksumMode.AUTO);
        try (S3BlobStore automatic = S3BlobStore.open(S3TestSettings.forBucket(rgw, bucket))) {
            try (BlobWriter writer = automatic.create("checksums-blob-0001")) {
                writer.write("a,b\n".getBytes(), 0, 4);
                writer.finish();
            }
            try (InputStream in = automatic.read("checksums-blob-0001", 0, 4).orElseThrow()) {
                assertThat(in.readAllBytes()).isEqualTo("a,b\n".getBytes());
            }
        }

        assertThatThrownBy(() -> S3BlobStore.open(S3TestSettings.forBucket(rgw, bucket)
                .withChecksums(ChecksumMode.WHEN_SUPPORTED)))
                .hasMessageContaining("XAmzContentSHA256Mismatch").hasMessageContaining("FILES_S3_CHECKSUMS");
    }
}
