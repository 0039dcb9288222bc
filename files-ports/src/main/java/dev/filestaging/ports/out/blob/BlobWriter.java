package dev.filestaging.ports.out.blob;

/**
 * A blob being written, by one writer. Bytes are appended; {@link #sync} makes everything written durable and tells
 * where that leaves the blob; {@link #finish} makes it whole, durable and readable. Used by one thread.
 */
public interface BlobWriter extends AutoCloseable {

    String blobId();

    /** Bytes written so far, durable or not. */
    long written();

    /**
     * Appends bytes. The implementation may keep a reference to {@code buffer} only until this returns.
     *
     * @throws dev.filestaging.ports.out.StorageException writing failed; what was written since the last sync is then
     *         unreliable: close the writer and reopen the blob at the last checkpoint
     */
    void write(byte[] buffer, int offset, int length);

    /**
     * Makes everything written durable: reopened at the checkpoint returned, even after a crash, the blob holds
     * exactly the bytes written up to it.
     *
     * @throws dev.filestaging.ports.out.StorageException the storage failed; the previous checkpoint still holds
     */
    BlobCheckpoint sync();

    /**
     * Makes the blob whole: every byte written durable and readable by {@link BlobStore#read}, immutable from now on.
     * Safe to call again on a blob reopened at a checkpoint after a crash during an earlier finish.
     *
     * @return the blob's size
     * @throws dev.filestaging.ports.out.StorageException the storage failed; the blob is as at its last checkpoint
     */
    long finish();

    /**
     * Removes what was written since the last sync (or since the blob was opened), where the store keeps it:
     * a refused or failed request leaves no bytes behind. Only for the blob's one writer, while it still is that
     * (a writer taken over must not cut its successor's bytes); nothing to do for a finished blob, or for a store
     * whose unsynced bytes are nowhere but in this writer. Never throws: what it could not remove a later reopen
     * cuts.
     */
    default void discardUnsynced() {
    }

    /**
     * Lets go of the blob; what was synced or finished is kept, what was written after stays unreadable (a reopen
     * cuts it). Never throws.
     */
    @Override
    void close();
}
