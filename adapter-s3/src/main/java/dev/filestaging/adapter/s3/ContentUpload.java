package dev.filestaging.adapter.s3;

import dev.filestaging.ports.out.StorageException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
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
 *
 * <p>Every wait on the SDK is bounded by the stall timeout: a write the SDK does not take, a finish it does not
 * confirm, within that time cancels the upload and fails as {@link StorageException.StorageUnavailableException}, so a
 * request never hangs on the store (and gives back its upload slot and lock).
 */
final class ContentUpload {

    /**
     * The largest buffer handed to the SDK at once. The SDK's splitter asks for the next buffer only while what it holds
     * plus the size of the last buffer fits its buffer ({@code apiCallBufferSizeInBytes}), and with an unknown length
     * it sends the first part only once the second is complete; {@link S3Clients} sizes that buffer at two parts plus
     * this, so the second part can always be completed, however the writes fall on the parts' boundaries.
     */
    static final int MAX_WRITE_BYTES = 256 * 1024;
    /** How long a cancelled upload may take to wind down (abort its multipart upload) before we stop waiting. */
    private static final Duration WIND_DOWN = Duration.ofSeconds(30);
    /** Fires the stall alarms of every upload; the alarms only flag, cancel and interrupt, so one thread does. */
    private static final ScheduledThreadPoolExecutor ALARMS = alarms();

    private final String key;
    private final Duration stallTimeout;
    private final CompletableFuture<PutObjectResponse> done;
    private final CancellableOutputStream out;
    /** The thread blocked in a wait on the SDK, if any; guarded by {@code this}. */
    private Thread waiting;
    /** Set when a wait outlasted the stall timeout and the upload was cancelled for it; guarded by {@code this}. */
    private boolean stalled;

    /** @param stallTimeout the longest any one wait on the SDK may take (see {@link S3Settings#contentStallTimeout}) */
    ContentUpload(S3AsyncClient uploads, String bucket, String key, Duration stallTimeout) {
        this.key = key;
        this.stallTimeout = stallTimeout;
        BlockingOutputStreamAsyncRequestBody body = AsyncRequestBody.forBlockingOutputStream(null);
        // Buffered parts can be sent again when the SDK retries one (a 503, a reset connection).
        this.done = uploads.putObject(b -> b.bucket(bucket).key(key).contentType("application/octet-stream"),
                BufferedSplittableAsyncRequestBody.create(body));
        try {
            this.out = body.outputStream(); // waits, up to 10 s, for the SDK to subscribe
        } catch (RuntimeException e) {
            done.cancel(true);
            throw new StorageException.StorageUnavailableException("starting the upload of " + key + " failed", e);
        }
        // When the upload fails the SDK stops asking for data without failing the stream, so a write waiting for
        // demand would wait forever. Wake it; it then reports the upload's failure.
        done.whenComplete((response, failure) -> {
            if (failure != null) {
                wake();
            }
        });
    }

    /** Sends bytes; blocks while the store is slower than the client (back-pressure instead of buffering). */
    void write(byte[] buffer, int offset, int length) {
        for (int at = offset, end = offset + length; at < end; ) {
            int slice = Math.min(MAX_WRITE_BYTES, end - at);
            writeSlice(buffer, at, slice);
            at += slice;
        }
    }

    private void writeSlice(byte[] buffer, int offset, int length) {
        failIfDone();
        try {
            bounded(() -> out.write(buffer, offset, length));
        } catch (IOException | RuntimeException e) {
            throw failure(e);
        }
        failIfDone();
    }

    /** Ends the content and waits until the store holds all of it. */
    void finish() {
        try {
            bounded(out::close);
        } catch (IOException | RuntimeException e) {
            throw failure(e);
        }
        try {
            done.get(stallTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            done.cancel(true);
            throw new StorageException.StorageUnavailableException("the store did not confirm the upload of " + key
                    + " within " + stallTimeout.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            done.cancel(true);
            throw new StorageException.StorageUnavailableException("interrupted while uploading " + key, e);
        } catch (ExecutionException | RuntimeException e) {
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
        } catch (TimeoutException e) {
            done.cancel(true); // the SDK did not wind down: stop waiting for it; the caller cleans up
        } catch (RuntimeException | ExecutionException e) {
            // Expected: a cancelled upload fails. Leftovers, if any, are cleaned up by the caller.
        }
    }

    private interface Wait {
        void run() throws IOException;
    }

    /**
     * Runs a blocking hand-over to the SDK with an alarm: if it has not returned within the stall timeout, the upload
     * is cancelled and this thread interrupted, which ends the wait ({@link #failure} then says why).
     */
    private void bounded(Wait wait) throws IOException {
        synchronized (this) {
            waiting = Thread.currentThread();
        }
        ScheduledFuture<?> alarm = ALARMS.schedule(this::stall, stallTimeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
            wait.run();
        } finally {
            alarm.cancel(false);
            boolean woken;
            synchronized (this) {
                waiting = null;
                woken = stalled || done.isCompletedExceptionally();
            }
            if (woken) {
                Thread.interrupted(); // ours, from stall or wake: not meant for whoever runs next on this thread
            }
        }
    }

    /**
     * The alarm of a wait that took too long: stop the upload, and wake the thread that waits. Cancelling the stream
     * alone would not do: the SDK's publisher delivers the error only after the write it has not taken.
     */
    private void stall() {
        synchronized (this) {
            if (waiting == null) {
                return; // the wait ended just now
            }
            stalled = true;
        }
        out.cancel();
        done.cancel(true);
        wake();
    }

    private synchronized void wake() {
        if (waiting != null) {
            waiting.interrupt();
        }
    }

    private void failIfDone() {
        if (done.isCompletedExceptionally()) {
            throw failure(null);
        }
    }

    /** The upload's own failure explains a failed write better than the write's exception. */
    private StorageException failure(Throwable writeFailure) {
        synchronized (this) {
            if (stalled) {
                return new StorageException.StorageUnavailableException("the store took nothing of " + key
                        + " for " + stallTimeout.toSeconds() + " s; the upload was cancelled", writeFailure);
            }
        }
        if (done.isCompletedExceptionally() && !done.isCancelled()) {
            try {
                done.join();
            } catch (RuntimeException e) {
                return S3Errors.translate("uploading content " + key, e);
            }
        }
        return new StorageException.StorageUnavailableException("uploading content " + key + " failed", writeFailure);
    }

    private static ScheduledThreadPoolExecutor alarms() {
        ScheduledThreadPoolExecutor alarms = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "s3-upload-stall-alarm");
            thread.setDaemon(true);
            return thread;
        });
        alarms.setRemoveOnCancelPolicy(true);
        return alarms;
    }
}
