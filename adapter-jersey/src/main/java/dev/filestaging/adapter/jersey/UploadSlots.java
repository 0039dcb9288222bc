package dev.filestaging.adapter.jersey;

import java.util.concurrent.Semaphore;

/**
 * How many uploads may stream at once. Each upload holds a worker thread for as long as its client takes to send it,
 * so without a bound enough slow clients (each above the minimum rate) would hold every worker and leave none for
 * listings, gets, deletes or the health check. An upload that finds no free slot is refused at once (503 with
 * {@code Retry-After}) instead of waiting on a thread.
 */
final class UploadSlots {
    private final int capacity;
    private final Semaphore free;

    UploadSlots(int capacity) {
        this.capacity = capacity;
        this.free = new Semaphore(capacity);
    }

    /** Takes a slot for the caller's upload, or throws the 503 to answer when all are busy. */
    Slot take() {
        if (!free.tryAcquire()) {
            throw Problems.tooManyUploads(capacity);
        }
        return new Slot();
    }

    /** Uploads streaming now. */
    int inUse() {
        return capacity - free.availablePermits();
    }

    /** A slot held until closed, once. */
    final class Slot implements AutoCloseable {
        private boolean released;

        @Override
        public void close() {
            if (!released) {
                released = true;
                free.release();
            }
        }
    }
}
