package dev.filestaging.domain.storage;

import dev.filestaging.ports.StoredFile;
import dev.filestaging.ports.out.StorageException;
import dev.filestaging.ports.out.blob.BlobWriter;
import dev.filestaging.ports.out.catalog.Catalog;
import dev.filestaging.ports.out.catalog.CatalogFile;
import dev.filestaging.ports.out.catalog.FileCommit;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The step every upload ends with, one request or many: finish the blob, record the file in the catalog if its name
 * is free, and tell what came of it. A blob belongs to its file from the moment the catalog recorded it; when a
 * failure leaves that unknown, the blob is kept (deleting the bytes of a file that may be recorded would lose it; an
 * unreferenced blob is only an orphan for the sweep).
 */
final class FileRecording {
    private final Catalog catalog;
    private final BlobWriter writer;
    private boolean recorded;
    private boolean inDoubt;

    FileRecording(Catalog catalog, BlobWriter writer) {
        this.catalog = catalog;
        this.writer = writer;
    }

    /**
     * @param record    records the finished blob as a file in the catalog, in one atomic step
     * @param leaseLost the failure to throw when the catalog says the upload's writer lost its lease
     */
    CommitOutcome commit(StoredFile metadata, Function<CatalogFile, FileCommit> record,
                         Supplier<RuntimeException> leaseLost) {
        long size = writer.finish();
        if (size != metadata.sizeBytes()) {
            throw new IllegalArgumentException("the metadata says " + metadata.sizeBytes() + " bytes, the blob has "
                    + size);
        }
        FileCommit outcome;
        try {
            outcome = record.apply(new CatalogFile(metadata, writer.blobId()));
        } catch (StorageException failed) {
            return recordedAfterAll(metadata).orElseThrow(() -> failed);
        }
        if (outcome instanceof FileCommit.Committed done) {
            recorded = true;
            return new CommitOutcome.Committed(done.file().file());
        }
        if (outcome instanceof FileCommit.NameTaken taken) {
            return new CommitOutcome.AlreadyExists(taken.file().orElse(null));
        }
        if (outcome instanceof FileCommit.OverLimit) {
            return new CommitOutcome.OverQuota();
        }
        throw leaseLost.get();
    }

    /** Whether the blob may belong to a file now: recorded, or perhaps recorded by a commit whose answer was lost. */
    boolean blobMayBeTaken() {
        return recorded || inDoubt;
    }

    /** After a failed commit, whether it took effect anyway (the catalog recorded it and its answer was lost). */
    private Optional<CommitOutcome> recordedAfterAll(StoredFile metadata) {
        try {
            Optional<CatalogFile> found = catalog.find(metadata.key());
            if (found.isPresent() && found.get().blobId().equals(writer.blobId())) {
                recorded = true;
                return Optional.of(new CommitOutcome.Committed(found.get().file()));
            }
        } catch (StorageException stillFailing) {
            inDoubt = true;
        }
        return Optional.empty();
    }
}
