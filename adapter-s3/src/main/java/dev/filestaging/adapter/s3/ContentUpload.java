package dev.filestaging.adapter.s3;

import dev.filestaging.ports.out.StorageException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.BlockingOutputStreamAsyncRequestBody;
import software.amazon.awssdk.core.async.BufferedSplittableAsyncRequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.utils.CancellableOutputStream;

/**
 * One content object being streamed to the bucket as it arrives. The SDK's multipart client cuts the stream into
 * parts, sending one while the next fills, so memory stays at about two parts whatever the size; content that ends
 * before the first part is full goes up as a single {@code PutObject}. Used by one thread.
 */
final class ContentUpload {

    /** How long a cancelled upload may take to wind down (abort its multipart upload) before we stop waiting. */
    private static final Duration WIND_DOWN = Duration.ofSeconds(30);

    private final String key;
    private final CompletableFuture<PutObjectResponse> done;
    private final CancellableOutputStream out;
    /** The thread blocked in {@link #write}, if any; guarded by itself being read and written under {@code this}. */
    private Thread writer;

    ContentUpload(S3AsyncClient uploads, String bucket, String key) {
        this.key = key;
        BlockingOutputStreamAsyncRequestBody body = AsyncRequestBody.forBlockingOutputStream(null);
        // Buffered parts can be sent again when the SDK retries one (a 503, a reset connection).
        this.done = uploads.putObject(b -> b.bucket(bucket).key(key).contentType("application/octet-stream"),
                BufferedSplittableAsyncRequestBody.create(body));
        this.out = body.outputStream();
        // When the upload fails the SDK stops asking for data without failing the stream, so a write waiting for
        // demand would wait forever. Wake it; it then reports the upload's failure.
        done.whenComplete((response, failure) -> {
            if (failure != null) {
                wakeWriter();
            }
        });
    }

    /** Sends bytes; blocks while the store is slower than the client (back-pressure instead of buffering). */
    void write(byte[] buffer, int offset, int length) {
        failIfDone();
        synchronized (this) {
            writer = Thread.currentThread();
        }
        try {
            out.write(buffer, offset, length);
        } catch (IOException | RuntimeException e) {
            throw failure(e);
        } finally {
            synchronized (this) {
                writer = null;
            }
            if (done.isCompletedExceptionally()) {
                Thread.interrupted(); // ours, from wakeWriter: not meant for whoever runs next on this thread
            }
        }
        failIfDone();
    }

    private synchronized void wakeWriter() {
        if (writer != null) {
            writer.interrupt();
        }
    }

    /** Ends the content and waits until the store holds all of it. */
    void finish() {
        try {
            out.close();
        } catch (IOException | RuntimeException e) {
            throw failure(e);
        }
        try {
            done.join();
        } catch (RuntimeException e) {
            throw S3Errors.translate("uploading content " + key, e);
        }
    }

    /** Stops the upload and waits, within bounds, for the SDK to abort what it started. Never throws. */
    void cancel() {
        out.cancel();
        try {
            done.get(WIND_DOWN.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException | RuntimeException | java.util.concurrent.ExecutionException e) {
            // Expected: a cancelled upload fails. Leftovers, if any, are cleaned up by the caller.
        }
    }

    private void failIfDone() {
        if (done.isCompletedExceptionally()) {
            throw failure(null);
        }
    }

    /** The upload's own failure explains a failed write better than the write's exception. */
    private StorageException failure(Throwable writeFailure) {
        if (done.isCompletedExceptionally()) {
            try {
                done.join();
            } catch (RuntimeException e) {
                return S3Errors.translate("uploading content " + key, e);
            }
        }
        return new StorageException.StorageUnavailableException("uploading content " + key + " failed", writeFailure);
    }
}
