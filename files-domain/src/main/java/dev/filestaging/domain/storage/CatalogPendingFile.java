package dev.filestaging.domain.storage;

import dev.filestaging.ports.FileKey;
import dev.filestaging.ports.StoredFile;
import dev.filestaging.ports.out.CommitOutcome;
import dev.filestaging.ports.out.PendingFile;
import dev.filestaging.ports.out.StorageException;
import dev.filestaging.ports.out.blob.BlobStore;
import dev.filestaging.ports.out.blob.BlobWriter;
import dev.filestaging.ports.out.catalog.Catalog;
import dev.filestaging.ports.out.catalog.CatalogFile;
import dev.filestaging.ports.out.catalog.FileCommit;
import java.util.Optional;

/**
 * A one-request upload: the bytes go to a new blob; the commit finishes the blob, then records the file in the
 * catalog if the name is free. A blob whose file was not recorded is deleted; one left by a crash in between is an
 * orphan for the sweep.
 */
final class CatalogPendingFile implements PendingFile {
    private final FileKey key;
    private final Catalog catalog;
    private final BlobStore blobs;
    private final BlobWriter writer;
    private final long maxBytes;
    private boolean committed;
    /** A commit failed and whether it took effect could not be told: the blob must stay. */
    private boolean inDoubt;

    /** @param maxBytes the area's quota, checked by the catalog at the commit against what every process committed */
    CatalogPendingFile(FileKey key, Catalog catalog, BlobStore blobs, long maxBytes) {
        this.key = key;
        this.maxBytes = maxBytes;
        this.catalog = catalog;
        this.blobs = blobs;
        this.writer = blobs.create(BlobIds.next());
    }

    @Override
    public void write(byte[] buffer, int offset, int length) {
        writer.write(buffer, offset, length);
    }

    @Override
    public CommitOutcome commit(StoredFile metadata) {
        if (!metadata.key().equals(key)) {
            throw new IllegalArgumentException("the file was created under " + key + ", not " + metadata.key());
        }
        long size = writer.finish();
        if (size != metadata.sizeBytes()) {
            throw new IllegalArgumentException("the metadata says " + metadata.sizeBytes() + " bytes, the blob has "
                    + size);
        }
        FileCommit outcome;
        try {
            outcome = catalog.commit(new CatalogFile(metadata, writer.blobId()), maxBytes);
        } catch (StorageException failed) {
            return committedAfterAll(metadata).orElseThrow(() -> failed);
        }
        if (outcome instanceof FileCommit.Committed done) {
            committed = true;
            return new CommitOutcome.Committed(done.file().file());
        }
        if (outcome instanceof FileCommit.NameTaken taken) {
            return new CommitOutcome.AlreadyExists(taken.file().orElse(null));
        }
        if (outcome instanceof FileCommit.OverLimit) {
            return new CommitOutcome.OverQuota();
        }
        throw new IllegalStateException("no lease was given, yet " + outcome);
    }

    /**
     * After a failed commit, whether it took effect anyway (the catalog recorded it and its answer was lost). When
     * that cannot be told either, the blob is kept: deleting the bytes of a file that may be recorded would lose it;
     * an unreferenced blob is only an orphan for the sweep.
     */
    private Optional<CommitOutcome> committedAfterAll(StoredFile metadata) {
        try {
            Optional<CatalogFile> found = catalog.find(key);
            if (found.isPresent() && found.get().blobId().equals(writer.blobId())) {
                committed = true;
                return Optional.of(new CommitOutcome.Committed(found.get().file()));
            }
        } catch (StorageException stillFailing) {
            inDoubt = true;
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        writer.close();
        if (!committed && !inDoubt) {
            Blobs.deleteQuietly(blobs, writer.blobId());
        }
    }
}
