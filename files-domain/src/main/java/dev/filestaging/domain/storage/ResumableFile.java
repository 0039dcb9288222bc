package dev.filestaging.domain.storage;

import dev.filestaging.ports.out.StorageException;
import dev.filestaging.ports.out.UploadTicket;
import java.io.InputStream;

/**
 * An open resumable upload, held by one writer until closed. Bytes are appended after what was written; {@link #sync}
 * makes them durable and moves the offset; what was written since the last sync may be taken back with
 * {@link #rollback}, and is taken back anyway if the process dies before the next sync, or when the writer closes
 * the upload without a sync (unacknowledged bytes never stay behind).
 *
 * <p>The last bytes of an upload are never synced: {@link #commit} makes them durable and stages the file in one
 * step, so the durable offset reaches the upload's length only once its file is staged, and a crash at any point
 * of a completion leaves the upload resumable from its last acknowledged offset.
 */
public interface ResumableFile extends UploadWriter, AutoCloseable {

    UploadTicket ticket();

    /** Bytes durable so far (at open: as the last sync left them). */
    long offset();

    /**
     * {@inheritDoc}
     *
     * @throws StorageException writing failed; what was written since the last sync is then unreliable: roll back
     */
    @Override
    void write(byte[] buffer, int offset, int length);

    /**
     * Makes everything written durable, with the offset after it: after a crash, the upload resumes from there.
     *
     * @return the new offset
     * @throws StorageException the storage failed; the durable offset is the previous one
     */
    long sync();

    /** Drops what was written since the last {@link #sync}. */
    void rollback();

    /** The durable bytes, from the first to {@link #offset()}, for a process that must see them again. */
    InputStream readDurable();

    /**
     * Takes the length a client declared late (tus {@code Upload-Length} after {@code Upload-Defer-Length}): the
     * ticket carries it at once, and it becomes durable with the next {@link #sync} (even one with no new bytes) or
     * {@link #commit}; {@link #rollback} or closing without either forgets it.
     */
    void declareLength(long length);

    /**
     * Moves the upload's expiry to {@code expires}, durably at the next {@link #sync} (and gone with a
     * {@link #rollback}): an upload that makes progress is kept, one left idle ends.
     */
    void keepUntil(java.time.Instant expires);

    /**
     * Ends the upload by committing everything written (synced or not) as a staged file with {@code metadata},
     * atomically; the name's reservation passes to the file. {@code metadata.sizeBytes()} is the bytes written.
     * Safe to run again after a crash at any step of an earlier commit of the same upload: it then answers
     * {@link CommitOutcome.Committed} with the file that commit staged.
     *
     * @return {@link CommitOutcome.AlreadyExists} when another file or upload holds the name: nothing changed, and
     *         the unsynced bytes are still to be rolled back
     * @throws StorageException the outcome is a failure: nothing became visible and the upload stays as it was
     */
    @Override
    CommitOutcome commit(dev.filestaging.ports.StoredFile metadata);

    /** Ends the upload, discarding its bytes and freeing its name. */
    void terminate();

    /** Lets another writer open the upload; discards nothing. Never throws. */
    @Override
    void close();
}
