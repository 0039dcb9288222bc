package dev.filestaging.adapter.s3.blob;

import dev.filestaging.adapter.s3.client.S3Settings;
import dev.filestaging.ports.out.StorageException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * How many uploads may stream to the bucket at once: each holds part buffers, and without a bound many large uploads
 * at once exhaust the heap (see {@link S3Settings#uploadSlots}).
 */
final class UploadSlots {

    private final Semaphore slots;
    private final int count;
    private final Duration patience;

    /** @param patience how long {@link #take} waits for a slot before giving up */
    UploadSlots(int count, Duration patience) {
        this.slots = new Semaphore(count, true);
        this.count = count;
        this.patience = patience;
    }

    /**
     * Waits for a slot; the caller must {@link #release} it once.
     *
     * @throws StorageException.StorageUnavailableException every slot stayed busy
     */
    void take() {
        try {
            if (!slots.tryAcquire(patience.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new StorageException.StorageUnavailableException("all " + count
                        + " upload slots stayed busy; raise the heap or FILES_S3_MAX_CONCURRENT_UPLOADS", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException.StorageUnavailableException("interrupted while waiting for an upload slot", e);
        }
    }

    void release() {
        slots.release();
    }

    int count() {
        return count;
    }
}
