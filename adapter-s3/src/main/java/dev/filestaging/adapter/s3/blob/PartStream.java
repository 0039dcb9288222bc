package dev.filestaging.adapter.s3.blob;

import dev.filestaging.adapter.s3.client.S3Errors;
import dev.filestaging.ports.out.StorageException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * One multipart upload fed a part at a time, begun with its first part, with one part travelling while the caller
 * fills the next (as the SDK's multipart client does for streams of unknown length). Parts go through the asynchronous
 * client, whose timeouts bound reads and writes rather than whole calls, so a large part on a slow link is not cut
 * short; each wait is bounded by the stall timeout instead. The ETags the uploads answer are what the completion names.
 * Used by one thread.
 */
final class PartStream {
    /** S3 joins at most 10,000 parts. */
    static final int MAX_PARTS = 10_000;

    private final S3BlobStore store;
    private final String key;
    private String uploadId;
    private final List<CompletedPart> parts;
    private long bytes;
    private CompletableFuture<UploadPartResponse> sending;
    private byte[] sendingBuffer;
    private int sendingLength;

    /** A stream going on after {@code parts} (of {@code bytes} bytes in all) of the upload {@code uploadId}, if any. */
    PartStream(S3BlobStore store, String key, String uploadId, List<CompletedPart> parts, long bytes) {
        this.store = store;
        this.key = key;
        this.uploadId = uploadId;
        this.parts = new ArrayList<>(parts);
        this.bytes = bytes;
    }

    String key() {
        return key;
    }

    /** The upload, or null before its first part. */
    String uploadId() {
        return uploadId;
    }

    /** Parts through (not counting one travelling). */
    int parts() {
        return parts.size();
    }

    /** Bytes of the parts through. */
    long bytes() {
        return bytes;
    }

    /** Bytes of the parts through and of the one travelling. */
    long bytesSent() {
        return bytes + (sending != null ? sendingLength : 0);
    }

    /**
     * Starts sending {@code length} bytes of {@code buffer} as the next part, once the part before it is through.
     *
     * @return the buffer of that part before, free again, or null
     */
    byte[] send(byte[] buffer, int length) {
        byte[] free = await();
        if (parts.size() == MAX_PARTS) {
            throw new StorageException(key + " has S3's " + MAX_PARTS + " parts already");
        }
        begin();
        int number = parts.size() + 1;
        sendingBuffer = buffer;
        sendingLength = length;
        sending = store.uploads().uploadPart(b -> b.bucket(store.bucket()).key(key).uploadId(uploadId)
                        .partNumber(number).contentLength((long) length),
                AsyncRequestBody.fromByteBufferUnsafe(ByteBuffer.wrap(buffer, 0, length)));
        return free;
    }

    /**
     * Waits for the part travelling, if any; then it counts.
     *
     * @return its buffer, free again, or null when none was travelling
     */
    byte[] await() {
        if (sending == null) {
            return null;
        }
        CompletableFuture<UploadPartResponse> call = sending;
        sending = null;
        String etag = store.await(call, "writing part " + (parts.size() + 1) + " of " + key).eTag();
        parts.add(CompletedPart.builder().partNumber(parts.size() + 1).eTag(etag).build());
        bytes += sendingLength;
        byte[] free = sendingBuffer;
        sendingBuffer = null;
        return free;
    }

    /** Adds the whole object {@code source} ({@code size} bytes) as the next part, by a copy inside the store. */
    void copyPart(String source, long size) {
        await();
        begin();
        int number = parts.size() + 1;
        try {
            String etag = store.calls().uploadPartCopy(b -> b.sourceBucket(store.bucket()).sourceKey(source)
                    .destinationBucket(store.bucket()).destinationKey(key).uploadId(uploadId).partNumber(number))
                    .copyPartResult().eTag();
            parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
            bytes += size;
        } catch (SdkException e) {
            throw S3Errors.translate("copying " + source + " as part " + number + " of " + key, e);
        }
    }

    /** Joins the parts through into the object. */
    void complete() {
        await();
        try {
            store.calls().completeMultipartUpload(b -> b.bucket(store.bucket()).key(key).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts)));
        } catch (SdkException e) {
            throw S3Errors.translate("completing " + key, e);
        }
    }

    /** Stops the part travelling, and aborts the upload: nothing of it is kept. Never throws. */
    void abandon() {
        if (sending != null) {
            sending.cancel(true);
            sending = null;
        }
        if (uploadId != null) {
            store.abortQuietly(key, uploadId);
        }
    }

    /** Stops the part travelling, keeping the parts through. Never throws. */
    void stop() {
        if (sending != null) {
            sending.cancel(true);
            sending = null;
        }
    }

    private void begin() {
        if (uploadId != null) {
            return;
        }
        try {
            uploadId = store.calls().createMultipartUpload(b -> b.bucket(store.bucket()).key(key)
                    .contentType("application/octet-stream")).uploadId();
        } catch (SdkException e) {
            throw S3Errors.translate("starting the multipart upload of " + key, e);
        }
    }
}
