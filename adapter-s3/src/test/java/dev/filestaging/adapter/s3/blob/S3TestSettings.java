package dev.filestaging.adapter.s3.blob;

import dev.filestaging.adapter.s3.client.S3Settings;
import dev.filestaging.adapter.s3.testing.S3TestServer;
import java.time.Duration;

/** Settings for a bucket of the test server: smallest parts, short timeouts, so failures show fast. */
final class S3TestSettings {

    static final String PREFIX = "staging/";

    private S3TestSettings() {
    }

    static S3Settings forBucket(S3TestServer s3, String bucket) {
        return new S3Settings(bucket, PREFIX, S3TestServer.REGION, s3.endpoint(), true,
                S3Settings.MIN_PART_SIZE_BYTES, Duration.ofSeconds(5));
    }
}
