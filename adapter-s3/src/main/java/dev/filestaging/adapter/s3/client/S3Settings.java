package dev.filestaging.adapter.s3.client;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how to reach the bucket. Credentials are not here: they come from the AWS SDK's default provider chain
 * (environment, system properties, profile files, container or instance roles).
 *
 * @param bucket                   an existing bucket
 * @param prefix                   key prefix for everything this service stores, so a bucket can be shared; "" for none
 * @param region                   the bucket's region (any valid name for most S3-compatible stores)
 * @param endpoint                 null for AWS; the URL of an S3-compatible store otherwise
 * @param pathStyleAccess          {@code http://host/bucket/key} instead of {@code http://bucket.host/key}
 * @param partSizeBytes            multipart part size, at least 5 MiB (S3's minimum); each upload in progress holds about
 *                                 two parts in memory
 * @param requestTimeout           bound on any call that is not a content upload, retries included; a content part
 *                                 fails when the store sends or accepts nothing for this long
 * @param maxConcurrentUploads     uploads streaming to the bucket at once; more wait for a slot. Each holds about
 *                                 three parts in memory, so 0 means: as many as half the heap can hold
 * @param checksums                when the SDK adds optional checksums ({@link ChecksumMode#AUTO}: wherever the store
 *                                 accepts them)
 * @param redirectDownloads        downloads are answered with a redirect to a short-lived presigned URL of the
 *                                 object, so content bytes do not pass through the instances
 */
public record S3Settings(
        String bucket,
        String prefix,
        String region,
        URI endpoint,
        boolean pathStyleAccess,
        long partSizeBytes,
        Duration requestTimeout,
        int maxConcurrentUploads,
        ChecksumMode checksums,
        boolean redirectDownloads) {

    public static final long MIN_PART_SIZE_BYTES = 5L * 1024 * 1024;
    public static final long DEFAULT_PART_SIZE_BYTES = 8L * 1024 * 1024;
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration MIN_CONTENT_STALL_TIMEOUT = Duration.ofSeconds(60);

    public S3Settings {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(checksums, "checksums");
        if (bucket.isBlank()) {
            throw new IllegalArgumentException("bucket must not be empty");
        }
        prefix = normalizedPrefix(prefix);
        if (partSizeBytes < MIN_PART_SIZE_BYTES) {
            throw new IllegalArgumentException("part size must be at least 5 MiB (S3's minimum), got " + partSizeBytes);
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("request timeout must be positive");
        }
        if (maxConcurrentUploads < 0) {
            throw new IllegalArgumentException("max concurrent uploads must be 0 (from the heap) or more");
        }
    }

    /**
     * With as many concurrent uploads as half the heap can hold, the checksums that suit the store
     * ({@link ChecksumMode#AUTO}), and downloads proxied through the service.
     */
    public S3Settings(String bucket, String prefix, String region, URI endpoint, boolean pathStyleAccess,
                      long partSizeBytes, Duration requestTimeout) {
        this(bucket, prefix, region, endpoint, pathStyleAccess, partSizeBytes, requestTimeout, 0, ChecksumMode.AUTO,
                false);
    }

    public S3Settings withMaxConcurrentUploads(int uploads) {
        return new S3Settings(bucket, prefix, region, endpoint, pathStyleAccess, partSizeBytes, requestTimeout,
                uploads, checksums, redirectDownloads);
    }

    public S3Settings withChecksums(ChecksumMode mode) {
        return new S3Settings(bucket, prefix, region, endpoint, pathStyleAccess, partSizeBytes, requestTimeout,
                maxConcurrentUploads, mode, redirectDownloads);
    }

    /** With downloads answered by a redirect to a presigned URL of the bucket ({@code true}) or proxied. */
    public S3Settings withRedirectDownloads(boolean redirect) {
        return new S3Settings(bucket, prefix, region, endpoint, pathStyleAccess, partSizeBytes, requestTimeout,
                maxConcurrentUploads, checksums, redirect);
    }

    /** The configured number, or what half of {@code maxHeapBytes} holds at three parts an upload (at least 1). */
    public int uploadSlots(long maxHeapBytes) {
        if (maxConcurrentUploads > 0) {
            return maxConcurrentUploads;
        }
        return (int) Math.max(1, Math.min(10_000, (maxHeapBytes / 2) / (3 * partSizeBytes)));
    }

    /**
     * The longest a content upload may wait on the SDK for one hand-over (a write taken, the upload confirmed) before
     * it is cancelled and fails as unavailable: a stalled store, or the SDK itself stuck, must not hold a request (its
     * upload slot and an upload's lock) for ever. Long enough for a part to go up at about 140 KB/s.
     */
    public Duration contentStallTimeout() {
        Duration sixCalls = requestTimeout.multipliedBy(6);
        return sixCalls.compareTo(MIN_CONTENT_STALL_TIMEOUT) > 0 ? sixCalls : MIN_CONTENT_STALL_TIMEOUT;
    }

    public Optional<URI> endpointIfSet() {
        return Optional.ofNullable(endpoint);
    }

    /** "" or a prefix ending in exactly one '/', without a leading '/'. */
    private static String normalizedPrefix(String prefix) {
        String p = prefix == null ? "" : prefix.strip();
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p.isEmpty() ? "" : p + "/";
    }
}
