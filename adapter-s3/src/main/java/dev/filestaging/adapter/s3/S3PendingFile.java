package dev.filestaging.adapter.s3;

import dev.filestaging.ports.FileKey;
import dev.filestaging.ports.StoredFile;
import dev.filestaging.ports.out.CommitOutcome;
import dev.filestaging.ports.out.PendingFile;
import dev.filestaging.ports.out.StorageException;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A file whose content streams to its own content object; the commit creates the name record that makes it visible.
 * Until then nothing refers to the content object, so nobody can see it; discarding deletes it and aborts any
 * multipart upload left open.
 */
final class S3PendingFile implements PendingFile {

    private static final Logger LOG = Logger.getLogger(S3PendingFile.class.getName());
    /** A name freed by a delete between our 412 and our read is tried again, a few times. */
    private static final int CREATE_ATTEMPTS = 3;

    private enum State { WRITING, COMMITTED, OUTCOME_UNKNOWN, DISCARDED }

    private final S3StagingStore store;
    private final FileKey key;
    private final String contentKey;
    private final ContentUpload upload;
    private final Runnable releaseSlot;
    private State state = State.WRITING;
    private boolean slotReleased;

    S3PendingFile(S3StagingStore store, FileKey key, String contentKey, ContentUpload upload, Runnable releaseSlot) {
        this.store = store;
        this.key = key;
        this.contentKey = contentKey;
        this.upload = upload;
        this.releaseSlot = releaseSlot;
    }

    @Override
    public void write(byte[] buffer, int offset, int length) {
        requireWriting();
        upload.write(buffer, offset, length);
    }

    @Override
    public CommitOutcome commit(StoredFile metadata) {
        requireWriting();
        if (!metadata.key().equals(key)) {
            throw new IllegalArgumentException("metadata is for " + metadata.key() + ", not " + key);
        }
        upload.finish();
        String recordKey = store.layout().nameRecord(key);
        for (int attempt = 1; ; attempt++) {
            try {
                store.records().create(recordKey, metadata, contentKey);
                state = State.COMMITTED;
                return new CommitOutcome.Committed(metadata);
            } catch (NameRecords.NameTakenException taken) {
                Optional<NameEntry> entry = store.records().readEntry(recordKey);
                if (entry.isPresent() && entry.get() instanceof NameReservation reservation) {
                    if (attempt < CREATE_ATTEMPTS && store.resumableUploads().removeIfAbandoned(reservation)) {
                        continue; // its creator died before writing the upload's state: the name is free
                    }
                    return new CommitOutcome.AlreadyExists(null); // a resumable upload holds the name
                }
                Optional<NameRecord> holder = entry.map(NameRecord.class::cast);
                if (holder.isPresent() && holder.get().contentKey().equals(contentKey)) {
                    // Our own record: the SDK retried a write that had succeeded (its answer lost, or a 5xx sent
                    // after the write), and the retry found the name taken by us. Discarding now would leave the
                    // record pointing at deleted content.
                    state = State.COMMITTED;
                    return new CommitOutcome.Committed(metadata);
                }
                if (holder.isPresent()) {
                    return new CommitOutcome.AlreadyExists(holder.get().file());
                }
                if (attempt == CREATE_ATTEMPTS) {
                    throw new StorageException.StorageUnavailableException(
                            "the name " + key.name() + " is being taken and freed too fast to commit", null);
                }
            } catch (StorageException e) {
                settleUnknownOutcome(recordKey, metadata);
                throw e;
            }
        }
    }

    /**
     * The create failed in a way that does not say whether the record was written (a timeout, say). If we cannot
     * find out, the content must stay: a record may point to it. The orphan sweep deletes it later if none does.
     */
    private void settleUnknownOutcome(String recordKey, StoredFile metadata) {
        try {
            Optional<NameRecord> holder = store.records().read(recordKey);
            if (holder.isPresent() && holder.get().contentKey().equals(contentKey)) {
                // It was written after all; but we are about to report a failure, so take it back.
                if (!store.records().delete(holder.get())) {
                    state = State.OUTCOME_UNKNOWN;
                }
            }
        } catch (StorageException e) {
            state = State.OUTCOME_UNKNOWN;
            LOG.log(Level.WARNING, "commit of {0} failed and its outcome is unknown; content {1} is kept until the"
                    + " orphan sweep: {2}", new Object[] {metadata.name(), contentKey, e.getMessage()});
        }
    }

    @Override
    public void close() {
        try {
            if (state == State.WRITING) {
                state = State.DISCARDED;
                upload.cancel();
                store.discardContent(contentKey);
            }
        } finally {
            if (!slotReleased) {
                slotReleased = true;
                releaseSlot.run();
            }
        }
    }

    private void requireWriting() {
        if (state != State.WRITING) {
            throw new IllegalStateException("pending file " + key.name() + " is " + state.name().toLowerCase());
        }
    }
}
