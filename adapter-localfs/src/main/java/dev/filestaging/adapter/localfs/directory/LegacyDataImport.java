package dev.filestaging.adapter.localfs.directory;

import dev.filestaging.adapter.localfs.blob.LocalBlobStore;
import dev.filestaging.adapter.localfs.io.DurableFiles;
import dev.filestaging.ports.StoredFile;
import dev.filestaging.ports.out.UploadTicket;
import dev.filestaging.ports.out.blob.BlobCheckpoint;
import dev.filestaging.ports.out.catalog.Catalog;
import dev.filestaging.ports.out.catalog.CatalogFile;
import dev.filestaging.ports.out.catalog.FileCommit;
import dev.filestaging.ports.out.catalog.Reservation;
import dev.filestaging.ports.out.catalog.UploadEntry;
import dev.filestaging.storage.records.StoredFileRecord;
import dev.filestaging.storage.records.UploadTicketRecord;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Brings a data directory written before the catalog (files under {@code staging/}, open uploads under
 * {@code uploads/}, see {@link DataDirectory}) into the local catalog and blob store, at start-up, before anything is
 * served. Nothing is copied: each file's {@code content} is renamed into the blob directory (one file system).
 *
 * <p>Each file goes in three steps, each durable before the next, so that a crash at any point leaves a directory the
 * next start completes: (1) the catalog commits the file under a blob id derived from its version; (2) the content is
 * renamed to that blob; (3) the old directory is removed. A restart finds the catalog already holding the file with
 * that blob id, and does what is left. An open upload goes the same way (its bytes past its recorded offset, never
 * acknowledged, are cut first). A file whose metadata does not match its place or size is quarantined, as before.
 * Committed tus uploads remembered for late clients ({@code uploads/{id}.staged}) are not carried over: such a client
 * asking after its upload learns it is gone, while its file is listed as usual.
 */
final class LegacyDataImport {
    private static final System.Logger LOG = System.getLogger(LegacyDataImport.class.getName());
    private static final String UPLOAD_RECORD = "upload.properties";

    /** What an import did. */
    record Tally(int files, int uploads, int quarantined) {
        static final Tally NONE = new Tally(0, 0, 0);

        boolean any() {
            return files + uploads + quarantined > 0;
        }
    }

    private final DataDirectory directory;
    private final Catalog catalog;
    private final LocalBlobStore blobs;
    private int files;
    private int uploads;
    private int quarantined;

    private LegacyDataImport(DataDirectory directory, Catalog catalog, LocalBlobStore blobs) {
        this.directory = directory;
        this.catalog = catalog;
        this.blobs = blobs;
    }

    static Tally run(DataDirectory directory, Catalog catalog, LocalBlobStore blobs) throws IOException {
        LegacyDataImport importer = new LegacyDataImport(directory, catalog, blobs);
        if (Files.isDirectory(directory.staging())) {
            try (Stream<Path> committed = directory.committedFileDirectories()) {
                for (Path file : committed.collect(Collectors.toList())) {
                    importer.importFile(file);
                }
            }
            DurableFiles.deleteRecursively(directory.staging());
        }
        if (Files.isDirectory(directory.uploads())) {
            try (Stream<Path> open = Files.list(directory.uploads())) {
                for (Path upload : open.collect(Collectors.toList())) {
                    importer.importUpload(upload);
                }
            }
            DurableFiles.deleteRecursively(directory.uploads());
        }
        DurableFiles.syncDirectory(directory.root());
        Tally tally = new Tally(importer.files, importer.uploads, importer.quarantined);
        if (tally.any()) {
            LOG.log(Level.INFO, "imported {0} files and {1} open uploads of an earlier version into the catalog"
                    + " ({2} quarantined)", tally.files(), tally.uploads(), tally.quarantined());
        }
        return tally;
    }

    /** The blob id of an imported file: its version's, so that a restarted import finds the same one. */
    static String fileBlobId(UUID version) {
        return "legacy-" + version;
    }

    static String uploadBlobId(String uploadId) {
        return "legacy-upload-" + uploadId;
    }

    private void importFile(Path fileDirectory) throws IOException {
        StoredFile file;
        Path content = fileDirectory.resolve(DataDirectory.CONTENT);
        try {
            file = StoredFileRecord.decode(Files.readAllBytes(fileDirectory.resolve(DataDirectory.METADATA))).file();
        } catch (IOException | RuntimeException unreadable) {
            quarantine(fileDirectory, "it is unreadable (" + unreadable.getMessage() + ")");
            return;
        }
        String blobId = fileBlobId(file.id());
        Optional<CatalogFile> known = catalog.find(file.key());
        if (known.isEmpty()) {
            if (!fileDirectory.equals(directory.fileDirectory(file.key())) || !Files.isRegularFile(content)
                    || Files.size(content) != file.sizeBytes()) {
                quarantine(fileDirectory, "its metadata does not match its place or its content size");
                return;
            }
            FileCommit commit = catalog.commit(new CatalogFile(file, blobId), Catalog.NO_LIMIT);
            if (!(commit instanceof FileCommit.Committed)) {
                quarantine(fileDirectory, "the catalog refused it: " + commit);
                return;
            }
        } else if (!known.get().blobId().equals(blobId)) {
            quarantine(fileDirectory, "the catalog holds another file under its name");
            return;
        }
        moveIntoBlob(content, blobs.finished(blobId));
        DurableFiles.deleteRecursively(fileDirectory);
        files++;
    }

    private void importUpload(Path upload) throws IOException {
        if (!Files.isDirectory(upload)) {
            Files.deleteIfExists(upload); // a staged marker: see the class comment
            return;
        }
        UploadTicketRecord record;
        try {
            record = UploadTicketRecord.decode(Files.readAllBytes(upload.resolve(UPLOAD_RECORD)));
        } catch (IOException | RuntimeException unreadable) {
            // created but never recorded (a crash at creation), or damaged: nothing acknowledged lives here
            LOG.log(Level.WARNING, "removing {0}: {1}", upload, unreadable.getMessage());
            DurableFiles.deleteRecursively(upload);
            return;
        }
        UploadTicket ticket = record.ticket();
        String blobId = uploadBlobId(ticket.id());
        Optional<UploadEntry> known = catalog.upload(ticket.id());
        if (known.isEmpty()) {
            Path content = upload.resolve(DataDirectory.CONTENT);
            if (!Files.isRegularFile(content) || Files.size(content) < record.offset()) {
                quarantine(upload, "its bytes are fewer than its recorded offset " + record.offset());
                return;
            }
            DurableFiles.truncateTo(content, record.offset());
            Reservation reserved = catalog.reserve(ticket, blobId, new BlobCheckpoint(record.offset(), ""),
                    Catalog.NO_LIMIT, Catalog.NO_LIMIT);
            if (!(reserved instanceof Reservation.Reserved)) {
                quarantine(upload, "the catalog refused it: " + reserved);
                return;
            }
        } else if (!known.get().blobId().equals(blobId)) {
            quarantine(upload, "the catalog holds another upload under its id");
            return;
        }
        moveIntoBlob(upload.resolve(DataDirectory.CONTENT), blobs.unfinished(blobId));
        DurableFiles.deleteRecursively(upload);
        uploads++;
    }

    /** Renames {@code content} to {@code blob}, durably; done already when only the blob is there. */
    private void moveIntoBlob(Path content, Path blob) throws IOException {
        if (Files.exists(content)) {
            Files.move(content, blob, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            DurableFiles.syncDirectory(blob.getParent());
        } else if (!Files.exists(blob)) {
            throw new IOException("neither " + content + " nor its blob " + blob + " is there");
        }
    }

    private void quarantine(Path legacy, String why) throws IOException {
        Path target = directory.quarantine().resolve(UUID.randomUUID().toString());
        Files.createDirectories(directory.quarantine());
        Files.move(legacy, target, StandardCopyOption.ATOMIC_MOVE);
        LOG.log(Level.WARNING, "moved {0} to {1}: {2}", legacy, target, why);
        quarantined++;
    }
}
