package dev.filestaging.adapter.s3.blob;

import dev.filestaging.adapter.s3.client.S3Errors;
import dev.filestaging.ports.out.StorageException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * An object of a bucket copied to another key of the same bucket by the store itself, no byte passing through this
 * process: one {@code CopyObject} up to S3's limit of 5 GiB for it, above that a multipart upload whose parts are
 * {@code UploadPartCopy}s of consecutive ranges. The copy is checked to have the size expected; a failure aborts
 * the multipart upload (or leaves it for the blob's delete), and a copy made again overwrites the same key whole.
 */
final class ServerSideCopy {
    /** S3's largest {@code CopyObject}. */
    static final long MAX_SINGLE_COPY = 5L * 1024 * 1024 * 1024;
    /** Parts of a multipart copy: 10,000 of them reach 5 TiB, S3's largest object, and few calls are made. */
    static final long COPY_PART_BYTES = 512L * 1024 * 1024;
    /** A server-side copy of gigabytes takes a while on some stores; the SDK's socket timeout still applies. */
    private static final Duration COPY_CALL_TIMEOUT = Duration.ofMinutes(30);

    private final S3Client s3;
    private final String bucket;

    ServerSideCopy(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    /**
     * Copies {@code source}, which holds {@code size} bytes, to {@code target}.
     *
     * @param maxSingleCopy above this size, a multipart copy in parts of {@code partBytes} (tests make both small)
     * @throws StorageException the copy failed, or the source does not hold {@code size} bytes
     */
    void copy(String source, long size, String target, long maxSingleCopy, long partBytes) {
        try {
            if (size <= maxSingleCopy) {
                s3.copyObject(b -> b.sourceBucket(bucket).sourceKey(source).destinationBucket(bucket)
                        .destinationKey(target).contentType("application/octet-stream")
                        .overrideConfiguration(o -> o.apiCallTimeout(COPY_CALL_TIMEOUT)));
            } else {
                copyInParts(source, size, target, partBytes);
            }
            long copied = s3.headObject(b -> b.bucket(bucket).key(target)).contentLength();
            if (copied != size) {
                throw new StorageException("copying " + source + " to " + target + " gave " + copied
                        + " bytes, not the " + size + " expected");
            }
        } catch (SdkException e) {
            throw S3Errors.translate("copying " + source + " to " + target, e);
        }
    }

    private void copyInParts(String source, long size, String target, long partBytes) {
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(target)
                .contentType("application/octet-stream")).uploadId();
        try {
            List<CompletedPart> parts = new ArrayList<>();
            for (long first = 0; first < size; first += partBytes) {
                int number = parts.size() + 1;
                String range = "bytes=" + first + "-" + (Math.min(size, first + partBytes) - 1);
                String etag = s3.uploadPartCopy(b -> b.sourceBucket(bucket).sourceKey(source)
                        .destinationBucket(bucket).destinationKey(target).uploadId(uploadId).partNumber(number)
                        .copySourceRange(range).overrideConfiguration(o -> o.apiCallTimeout(COPY_CALL_TIMEOUT)))
                        .copyPartResult().eTag();
                parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
            }
            s3.completeMultipartUpload(b -> b.bucket(bucket).key(target).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts)));
        } catch (RuntimeException e) {
            try {
                s3.abortMultipartUpload(b -> b.bucket(bucket).key(target).uploadId(uploadId));
            } catch (SdkException ignored) {
                e.addSuppressed(ignored); // the blob's delete aborts it too
            }
            throw e;
        }
    }
}
