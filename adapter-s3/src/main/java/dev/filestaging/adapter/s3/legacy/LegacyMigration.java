package dev.filestaging.adapter.s3.legacy;

import dev.filestaging.adapter.s3.blob.S3BlobStore;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.out.SmallRecordStore;
import dev.filestaging.ports.out.StorageException;
import dev.filestaging.ports.out.blob.BlobCheckpoint;
import dev.filestaging.ports.out.blob.BlobWriter;
import dev.filestaging.ports.out.catalog.Catalog;
import dev.filestaging.ports.out.catalog.CatalogFile;
import dev.filestaging.ports.out.catalog.FileCommit;
import dev.filestaging.ports.out.catalog.Reservation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Copies what a bucket-only catalog kept into a {@link Catalog} and the bucket's {@link S3BlobStore}, leaving every
 * legacy object as it was. Idempotent: each step is looked up in the catalog first and done only when missing, and
 * each is one atomic catalog change made after its bytes are in place, so a run stopped anywhere (a crash, an
 * outage) and run again converges, and a run after a complete one changes nothing.
 * <ul>
 *   <li><b>Files</b>: each committed file's content object is copied inside the store to the blob
 *       {@code legacy-{file id}} ({@link S3BlobStore#copyIn}: no byte passes through this process, the legacy
 *       object stays readable for a roll-back, and blobs keep their one-key-per-blob layout), then the file is
 *       committed with its own metadata (id, size, MD5, formats, uploader, time), beyond any quota: it was stored
 *       already. A file whose name the catalog holds as the same version is left; as another version (uploaded
 *       since), it is a conflict, reported and left to the operator.</li>
 *   <li><b>Open tus uploads</b> are imported to be resumed at their acknowledged offset under their own id (so the
 *       clients' upload URLs keep working): their pieces are read in order into a new resumable blob, synced, and
 *       the upload recorded at that checkpoint in one step. The piece layout of the legacy store is not the blob
 *       store's, so these bytes do pass through the process (at most the open uploads' acknowledged bytes). An
 *       upload already expired is reported and not imported (the legacy store would have ended it); one whose name
 *       the catalog holds otherwise is reported as not imported, which makes the run incomplete.</li>
 *   <li><b>Small records</b> (API keys, OAuth clients, token signing and link keys) are written where missing; a
 *       record the catalog holds with other text (changed since) is kept as it is.</li>
 *   <li>Staged uploads' notes (which only let {@code HEAD} say where a finished upload's file went) are counted, not
 *       carried; heartbeats, locks and delete claims coordinated instances through the bucket and mean nothing to
 *       a catalog.</li>
 * </ul>
 * A complete run (no conflict, every open upload imported or skipped on purpose) records {@link #MARKER} in the
 * catalog's small records, which is what lets a server start on the bucket afterwards ({@link #pending}).
 */
public final class LegacyMigration {
    /** Namespace and key of the note that the bucket-only catalog was migrated. */
    public static final String MARKER_NAMESPACE = "catalog-migrations";
    public static final String MARKER = "bucket-only-catalog";
    private static final int COPY_BUFFER = 1024 * 1024;

    /** Told of each step done, in order; throwing stops the run there (as a crash would: tests inject one). */
    public interface Progress {
        void fileCopied(StagingArea area, String name);

        Progress NONE = (area, name) -> { };
    }

    /** @param skipUnimportedUploads complete the run even when open uploads could not be imported (they are reported) */
    public record Options(boolean skipUnimportedUploads) {}

    private final LegacyBucket legacy;
    private final Catalog catalog;
    private final SmallRecordStore records;
    private final S3BlobStore blobs;
    private final Clock clock;

    public LegacyMigration(LegacyBucket legacy, Catalog catalog, SmallRecordStore records, S3BlobStore blobs,
                           Clock clock) {
        this.legacy = legacy;
        this.catalog = catalog;
        this.records = records;
        this.blobs = blobs;
        this.clock = clock;
    }

    /**
     * Why a server must not start on this bucket yet: it holds legacy name records and the catalog has no note of a
     * complete migration. Empty when it may.
     */
    public static Optional<String> pending(LegacyBucket legacy, SmallRecordStore records) {
        if (records.read(MARKER_NAMESPACE, MARKER).isPresent() || !legacy.hasNameRecords()) {
            return Optional.empty();
        }
        return Optional.of("the bucket s3://" + legacy.bucket() + "/" + legacy.prefix() + " holds files of the"
                + " retired bucket-only catalog (under " + legacy.prefix() + "areas/) that this catalog does not have;"
                + " stop every instance still serving it and run `files-app catalog migrate` with these settings");
    }

    /** Copies everything; see the class documentation. */
    public MigrationReport run(Options options, Progress progress) {
        MigrationReport.Builder report = new MigrationReport.Builder();
        migrateRecords(report);
        for (StagingArea area : legacy.areas()) {
            for (LegacyFile file : legacy.files(area)) {
                migrateFile(file, report);
                progress.fileCopied(area, file.file().name());
            }
        }
        for (LegacyUpload upload : legacy.uploads()) {
            migrateUpload(upload, report);
        }
        MigrationReport done = report.build(options.skipUnimportedUploads());
        if (done.complete() && records.read(MARKER_NAMESPACE, MARKER).isEmpty()) {
            records.write(MARKER_NAMESPACE, MARKER, "migrated from s3://" + legacy.bucket() + "/" + legacy.prefix()
                    + " at " + clock.instant() + "\n");
        }
        return done;
    }

    private void migrateRecords(MigrationReport.Builder report) {
        for (Map.Entry<String, Map<String, String>> namespace : legacy.smallRecords().entrySet()) {
            for (Map.Entry<String, String> record : namespace.getValue().entrySet()) {
                Optional<String> present = records.read(namespace.getKey(), record.getKey());
                if (present.isEmpty()) {
                    records.write(namespace.getKey(), record.getKey(), record.getValue());
                    report.recordsCopied++;
                } else if (present.get().equals(record.getValue())) {
                    report.recordsUnchanged++;
                } else {
                    report.recordsKept++;
                }
            }
        }
    }

    private void migrateFile(LegacyFile legacyFile, MigrationReport.Builder report) {
        var file = legacyFile.file();
        Optional<CatalogFile> present = catalog.find(file.key());
        if (present.isPresent()) {
            if (present.get().file().id().equals(file.id())) {
                report.filesUnchanged++;
            } else {
                report.conflicts.add(describe(file.key().area(), file.name()) + ": the catalog holds another version"
                        + " (" + present.get().file().id() + ", uploaded " + present.get().file().uploadedOn()
                        + "); the bucket's (" + file.id() + ") was not copied");
            }
            return;
        }
        String blobId = fileBlob(file.id());
        blobs.copyIn(legacyFile.contentKey(), file.sizeBytes(), blobId);
        FileCommit commit = catalog.commit(new CatalogFile(file, blobId), Catalog.NO_LIMIT);
        if (commit instanceof FileCommit.Committed) {
            report.filesCopied++;
            report.bytesCopied += file.sizeBytes();
            return;
        }
        blobs.delete(blobId);
        report.conflicts.add(describe(file.key().area(), file.name()) + ": the catalog refused it (" + commit + ")");
    }

    private void migrateUpload(LegacyUpload upload, MigrationReport.Builder report) {
        String what = "upload " + upload.id() + " of " + describe(upload.ticket().key().area(),
                upload.ticket().key().name());
        if (upload.staged() || catalog.staged(upload.id()).isPresent()) {
            report.finishedUploads++;
            return;
        }
        if (catalog.upload(upload.id()).isPresent()) {
            report.uploadsUnchanged++;
            return;
        }
        if (!legacy.reservationOf(upload.ticket().key()).equals(Optional.of(upload.id()))) {
            // its name is not held for it: a commit staged it and died before cleaning up, or it ended
            report.finishedUploads++;
            return;
        }
        if (upload.ticket().expires().isBefore(clock.instant())) {
            report.expiredUploads.add(what + " (" + upload.offset() + " bytes acknowledged, expired "
                    + upload.ticket().expires() + "): not imported");
            return;
        }
        String blobId = uploadBlob(upload.id());
        blobs.delete(blobId); // what an earlier, interrupted run left of it
        BlobCheckpoint checkpoint = copyAcknowledged(upload, blobId);
        Reservation reserved = catalog.reserve(upload.ticket(), blobId, checkpoint, Catalog.NO_LIMIT,
                Catalog.NO_LIMIT);
        if (reserved instanceof Reservation.Reserved) {
            report.uploadsImported++;
            report.uploadBytes += checkpoint.offset();
            return;
        }
        blobs.delete(blobId);
        report.unimportedUploads.add(what + " (" + upload.offset() + " bytes acknowledged): the catalog refused it ("
                + reserved + ")");
    }

    private BlobCheckpoint copyAcknowledged(LegacyUpload upload, String blobId) {
        BlobWriter writer = blobs.createResumable(blobId);
        try (writer; InputStream in = legacy.acknowledgedBytes(upload)) {
            byte[] buffer = new byte[COPY_BUFFER];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                writer.write(buffer, 0, n);
            }
            BlobCheckpoint checkpoint = writer.sync();
            if (checkpoint.offset() != upload.offset()) {
                throw new StorageException("the pieces of upload " + upload.id() + " hold " + checkpoint.offset()
                        + " bytes, not the " + upload.offset() + " acknowledged");
            }
            return checkpoint;
        } catch (IOException e) {
            throw new StorageException("reading the pieces of upload " + upload.id() + " failed: " + e.getMessage(), e);
        }
    }

    /** The blob of a migrated file: one per file version, the same at every run. */
    static String fileBlob(UUID fileId) {
        return "legacy-" + fileId;
    }

    /** The blob of an imported upload: the same at every run (upload ids may be 64 characters: a name-based UUID). */
    static String uploadBlob(String uploadId) {
        return "legacy-upload-" + UUID.nameUUIDFromBytes(uploadId.getBytes(StandardCharsets.UTF_8))
                .toString().replace("-", "");
    }

    private static String describe(StagingArea area, String name) {
        return area.organization().value() + "/" + area.project().value() + " '" + name + "'";
    }
}
