package dev.filestaging.adapter.s3;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/**
 * Removes content objects no name record points to any more (a deleted file's, an abandoned upload's), with any
 * multipart upload still open for them. Never fails the caller: when the store cannot be reached, the discard waits
 * in a queue that {@link #retryFailed} (run every few seconds by {@link S3Maintenance}) works off; what a stopped
 * process leaves in it, the orphan sweep of another start finds.
 */
final class ContentDiscards {
    private static final Logger LOG = Logger.getLogger(ContentDiscards.class.getName());

    private final S3Client calls;
    private final String bucket;
    private final Set<String> failed = ConcurrentHashMap.newKeySet();

    ContentDiscards(S3Client calls, String bucket) {
        this.calls = calls;
        this.bucket = bucket;
    }

    void discard(String contentKey) {
        if (!tryDiscard(contentKey)) {
            failed.add(contentKey);
        }
    }

    /** How many discards wait for the store to come back. */
    int pending() {
        return failed.size();
    }

    void retryFailed() {
        failed.removeIf(this::tryDiscard);
    }

    private boolean tryDiscard(String contentKey) {
        try {
            for (MultipartUpload upload : calls.listMultipartUploadsPaginator(
                    b -> b.bucket(bucket).prefix(contentKey)).uploads()) {
                if (upload.key().equals(contentKey)) {
                    abortUpload(contentKey, upload.uploadId());
                }
            }
            calls.deleteObject(b -> b.bucket(bucket).key(contentKey));
            return true;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not discard {0} yet, will retry: {1}",
                    new Object[] {contentKey, S3Errors.translate("discarding", e).getMessage()});
            return false;
        }
    }

    /** Aborts a multipart upload; one that is already gone (the SDK aborted it too) is fine. */
    private void abortUpload(String contentKey, String uploadId) {
        try {
            calls.abortMultipartUpload(b -> b.bucket(bucket).key(contentKey).uploadId(uploadId));
        } catch (SdkException e) {
            if (!S3Errors.isNotFound(e)) {
                throw e;
            }
        }
    }
}
