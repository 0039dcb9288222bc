package dev.filestaging.domain.storage;

import dev.filestaging.ports.StoredFile;
import dev.filestaging.ports.out.StorageException;

/**
 * Where an upload's bytes go and how they become a staged file: the one primitive of both kinds of upload, a
 * {@link PendingFile} (one request) and a {@link ResumableFile} (any number of requests). The domain streams content
 * into either the same way, and ends either by the same commit. Used by one thread at a time.
 */
public interface UploadWriter {

    /**
     * Appends bytes after everything written so far. The implementation may keep a reference to {@code buffer} only
     * until this returns.
     *
     * @throws StorageException writing failed; what was written since the last durable point is then unreliable
     */
    void write(byte[] buffer, int offset, int length);

    /**
     * Makes everything written durable and visible as a staged file with {@code metadata}, atomically, if no other
     * file or open upload holds its name. {@code metadata.sizeBytes()} is the bytes written, and its key the one the
     * upload was begun with.
     *
     * @return {@link CommitOutcome.AlreadyExists} when another file or upload holds the name, or
     *         {@link CommitOutcome.OverQuota} when the store counts a quota that the file would pass; nothing became
     *         visible then
     * @throws StorageException the outcome is a failure: nothing became visible
     */
    CommitOutcome commit(StoredFile metadata);
}
