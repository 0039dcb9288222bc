package dev.filestaging.adapter.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.filestaging.adapter.s3.testing.S3TestServer;
import dev.filestaging.adapter.s3.testing.S3TestServerExtension;
import dev.filestaging.ports.out.StorageException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.multipart.MultipartConfiguration;

/**
 * A content upload whose SDK stops taking bytes must not wait for ever: an SDK configured as this service once was
 * (a buffer of exactly two parts) deadlocks on writes that straddle the end of the second part, and the write must
 * then fail as unavailable within the stall timeout, so the request ends and gives back its slot and lock.
 */
class ContentUploadStallTest {

    private static final long PART = S3Settings.MIN_PART_SIZE_BYTES;

    @RegisterExtension
    static final S3TestServerExtension S3 = new S3TestServerExtension();

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // the hang this guards against, bounded
    void a_write_the_sdk_never_takes_fails_as_unavailable_within_the_stall_timeout() {
        String bucket = S3.newBucket("stall");
        try (S3AsyncClient deadlocking = S3AsyncClient.builder()
                .region(Region.of(S3TestServer.REGION))
                .endpointOverride(S3.server().endpoint())
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(S3TestServer.ACCESS_KEY, S3TestServer.SECRET_KEY)))
                .multipartEnabled(true)
                .multipartConfiguration(MultipartConfiguration.builder().thresholdInBytes(PART)
                        .minimumPartSizeInBytes(PART).apiCallBufferSizeInBytes(2 * PART).build())
                .build()) {
            ContentUpload upload = new ContentUpload(deadlocking, bucket, "stalled.bin", Duration.ofSeconds(2));
            byte[] chunk = new byte[256 * 1024];
            long started = System.nanoTime();
            assertThatThrownBy(() -> {
                upload.write(chunk, 0, 1_000); // every later chunk straddles the parts' boundaries
                for (int i = 0; i < 100; i++) { // 25 MiB: far past the two parts the SDK holds
                    upload.write(chunk, 0, chunk.length);
                }
                upload.finish();
            }).isInstanceOf(StorageException.StorageUnavailableException.class).hasMessageContaining("took nothing");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
            assertThat(Thread.currentThread().isInterrupted()).as("the alarm's interrupt is not left behind").isFalse();
            upload.cancel(); // returns at once: the upload was cancelled already
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        }
        assertThat(S3.server().openMultipartUploads(bucket)).isEmpty();
        assertThat(S3.server().objects(bucket, "")).isEmpty();
    }
}
