package dev.filestaging.domain.storage;

import dev.filestaging.ports.out.StorageException;
/**
 * A one-request upload's file being written: invisible until committed. Used by one thread. Always close it: closing
 * a pending file that was not committed discards everything written (the name stays free); closing after a commit
 * does nothing.
 */
public interface PendingFile extends UploadWriter, AutoCloseable {

    /**
     * {@inheritDoc}
     *
     * @throws StorageException writing failed; the pending file is then unusable except for {@link #close}
     */
    @Override
    void write(byte[] buffer, int offset, int length);

    /** Discards the file unless it was committed. Never throws. */
    @Override
    void close();
}
