package dev.filestaging.adapter.jersey;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * How many uploads and downloads may stream at once. Each holds a worker thread for as long as its client takes to
 * send or read the bytes, so without a bound enough slow clients would hold every worker and leave none for listings,
 * gets, deletes or the health check. A transfer that finds no free slot is refused at once (503 with
 * {@code Retry-After}) instead of waiting on a thread.
 */
final class TransferSlots {
    private final int capacity;
    private final Semaphore free;

    TransferSlots(int capacity) {
        this.capacity = capacity;
        this.free = new Semaphore(capacity);
    }

    /** Takes a slot for an upload, or throws the 503 to answer when all are busy. */
    Slot takeForUpload() {
        return take(() -> Problems.tooManyUploads(capacity));
    }

    /** Takes a slot for a download, or throws the 503 to answer when all are busy. */
    Slot takeForDownload() {
        return take(() -> Problems.tooManyDownloads(capacity));
    }

    private Slot take(Supplier<ApiProblem> whenFull) {
        if (!free.tryAcquire()) {
            throw whenFull.get();
        }
        return new Slot();
    }

    /** Transfers streaming now. */
    int inUse() {
        return capacity - free.availablePermits();
    }

    /** A slot held until closed; closing again, from any thread, does nothing. */
    final class Slot implements AutoCloseable {
        private final AtomicBoolean released = new AtomicBoolean();

        @Override
        public void close() {
            if (released.compareAndSet(false, true)) {
                free.release();
            }
        }
    }
}
