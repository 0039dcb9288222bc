package dev.filestaging.ports.out;

import dev.filestaging.ports.StoredFile;

/**
 * A file being written: invisible until committed. Used by one thread. Always close it: closing a pending file that
 * was not committed discards everything written (the name stays free); closing after a commit does nothing.
 */
public interface PendingFile extends AutoCloseable {

    /**
     * Appends bytes. The implementation may keep a reference to {@code buffer} only until this returns.
     *
     * @throws StorageException writing failed; the pending file is then unusable except for {@link #close}
     */
    void write(byte[] buffer, int offset, int length);

    /**
     * Makes the content and {@code metadata} durable and visible together, atomically, if no file is committed under
     * the same key. The metadata's key must be the one this file was created with.
     *
     * @throws StorageException the outcome is a failure: nothing became visible
     */
    CommitOutcome commit(StoredFile metadata);

    /** Discards the file unless it was committed. Never throws. */
    @Override
    void close();
}
