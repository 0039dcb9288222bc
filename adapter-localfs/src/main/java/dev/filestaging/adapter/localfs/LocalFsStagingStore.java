package dev.filestaging.adapter.localfs;

import dev.filestaging.ports.ByteRange;
import dev.filestaging.ports.ContentSlice;
import dev.filestaging.ports.FileKey;
import dev.filestaging.ports.NameGlob;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.StoredContent;
import dev.filestaging.ports.StoredFile;
import dev.filestaging.ports.out.CommitOutcome;
import dev.filestaging.ports.out.PendingFile;
import dev.filestaging.ports.out.StagingStore;
import dev.filestaging.ports.out.StorageException;
import dev.filestaging.ports.out.StoreCapabilities;
import dev.filestaging.ports.out.UploadTicket;
import dev.filestaging.storage.records.StoredFileRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Staged files on a local file system.
 *
 * <p>A file is written with its metadata into a fresh directory under {@code tmp/}, both fsynced, and committed by
 * renaming that directory into place: one atomic step makes content and metadata visible together. The rename cannot
 * replace a committed file (a non-empty directory), and commits of one area are serialised against the in-memory
 * index, so a name is taken once. Deletes rename the directory into {@code trash/} first, so the name is free at once.
 * A crash leaves at most directories under {@code tmp/} and {@code trash/}, which the next start removes.
 */
public final class LocalFsStagingStore implements StagingStore, AutoCloseable {
    /** Below this much free space the store reports itself not ready: a new upload would likely fail with 507. */
    static final long MIN_FREE_BYTES = DiskHealth.MIN_FREE_BYTES;

    private static final System.Logger LOG = System.getLogger(LocalFsStagingStore.class.getName());

    private final DataDirectory directory;
    private final AreaIndex index = new AreaIndex();
    private final SyncBehind syncBehind = new SyncBehind();
    private final LocalResumableUploads resumables;
    private final StoreCapabilities capabilities;

    private LocalFsStagingStore(DataDirectory directory) {
        this.directory = directory;
        this.resumables = new LocalResumableUploads(directory, this);
        this.capabilities = StoreCapabilities.NONE.withResumableUploads(resumables);
    }

    /**
     * Opens (creating if needed) a data directory, locks it against other processes, sweeps what an earlier process
     * left half-done and loads the index of committed files.
     *
     * @throws StorageException the directory is unusable or used by another process; the message says which
     */
    public static LocalFsStagingStore open(Path dataDirectory) {
        DataDirectory directory = DataDirectory.open(dataDirectory);
        LocalFsStagingStore store = new LocalFsStagingStore(directory);
        try {
            store.loadIndex();
            store.resumables.load();
        } catch (IOException e) {
            directory.close();
            throw IoErrors.translate("read the data directory", e);
        } catch (UncheckedIOException e) {
            directory.close();
            throw IoErrors.translate("read the data directory", e);
        } catch (RuntimeException e) {
            directory.close();
            throw e;
        }
        return store;
    }

    /** The data directory's absolute path. */
    public Path root() {
        return directory.root();
    }

    /** How many files are committed across all areas. */
    public long fileCount() {
        return index.all().values().stream().mapToLong(area -> area.files().size()).sum();
    }

    private void loadIndex() throws IOException {
        try (Stream<Path> fileDirectories = directory.committedFileDirectories()) {
            fileDirectories.forEach(this::loadOne);
        }
    }

    private void loadOne(Path fileDirectory) {
        try {
            StoredFile file = StoredFileRecord.decode(Files.readAllBytes(fileDirectory.resolve(DataDirectory.METADATA))).file();
            long actualSize = Files.size(fileDirectory.resolve(DataDirectory.CONTENT));
            if (!fileDirectory.equals(directory.fileDirectory(file.key())) || actualSize != file.sizeBytes()) {
                quarantine(fileDirectory, "its metadata does not match its place or its content size");
                return;
            }
            index.area(file.key().area()).put(file);
        } catch (IOException e) {
            quarantine(fileDirectory, "it is unreadable (" + e.getMessage() + ")");
        }
    }

    /**
     * Moves a staged file that cannot be trusted out of the way, so its name is free again, without destroying what
     * may be the only copy of someone's data.
     */
    private void quarantine(Path fileDirectory, String why) {
        Path target = directory.quarantine().resolve(java.util.UUID.randomUUID().toString());
        try {
            Files.createDirectories(directory.quarantine());
            Files.move(fileDirectory, target, StandardCopyOption.ATOMIC_MOVE);
            LOG.log(Level.WARNING, "moved {0} to {1}: {2}", fileDirectory, target, why);
        } catch (IOException e) {
            throw IoErrors.translate("quarantine " + fileDirectory + ", which " + why, e);
        }
    }

    @Override
    public PendingFile create(FileKey key) {
        try {
            return new LocalPendingFile(this, key, directory.newTempDirectory(), syncBehind);
        } catch (IOException e) {
            throw IoErrors.translate("start writing " + key.name(), e);
        }
    }

    /** Resumable uploads, in {@code uploads/} of the data directory. */
    /** Not serving when the data directory cannot take a new file, or its file system is all but full. */
    @Override
    public dev.filestaging.ports.out.StoreHealth health() {
        return DiskHealth.of(directory.tmp(), directory.root());
    }

    @Override
    public StoreCapabilities capabilities() {
        return capabilities;
    }

    /** Moves a complete, synced temp directory into place unless the name is taken or reserved by an upload. */
    CommitOutcome publish(Path tempDirectory, StoredFile file) throws IOException {
        return publish(tempDirectory, file, null, null);
    }

    /** Moves a resumable upload's directory into place as its file, unless another file took the name meanwhile. */
    CommitOutcome publishUpload(Path uploadDirectory, StoredFile file, LocalResumableUploads uploads, UploadTicket ticket)
            throws IOException {
        uploads.markStaged(ticket);
        CommitOutcome outcome;
        try {
            outcome = publish(uploadDirectory, file, uploads, ticket);
        } catch (IOException | RuntimeException e) {
            uploads.unmarkStaged(ticket);
            throw e;
        }
        if (!(outcome instanceof CommitOutcome.Committed)) {
            uploads.unmarkStaged(ticket);
            return outcome;
        }
        DurableFiles.syncDirectory(directory.uploads());
        Files.deleteIfExists(directory.fileDirectory(file.key()).resolve(LocalResumableUploads.RECORD));
        uploads.rememberStaged(ticket);
        return outcome;
    }

    private CommitOutcome publish(Path source, StoredFile file, LocalResumableUploads uploads, UploadTicket ticket)
            throws IOException {
        Path target = directory.fileDirectory(file.key());
        Path areaDirectory = target.getParent();
        createDurably(areaDirectory);
        AreaIndex.Area area = index.area(file.key().area());
        synchronized (area) {
            Optional<StoredFile> existing = area.get(file.name());
            if (existing.isPresent()) {
                return new CommitOutcome.AlreadyExists(existing.get());
            }
            if (resumables.reservedByAnother(file.key(), ticket == null ? null : ticket.id())) {
                return new CommitOutcome.AlreadyExists(null);
            }
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
            area.put(file);
            if (uploads != null) {
                uploads.committed(ticket);
            }
        }
        DurableFiles.syncDirectory(areaDirectory);
        return new CommitOutcome.Committed(file);
    }

    SyncBehind syncBehind() {
        return syncBehind;
    }

    /** What commits, deletes, reads and reservations of one area synchronize on. */
    Object areaMonitor(StagingArea area) {
        return index.area(area);
    }

    void discard(Path tempDirectory) {
        try {
            DurableFiles.deleteRecursively(tempDirectory);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "could not remove {0} ({1}); it will be removed at the next start",
                    tempDirectory, e.getMessage());
        }
    }

    private void createDurably(Path areaDirectory) throws IOException {
        if (Files.isDirectory(areaDirectory)) {
            return;
        }
        Files.createDirectories(areaDirectory);
        DurableFiles.syncDirectory(areaDirectory.getParent());
        DurableFiles.syncDirectory(directory.staging());
    }

    @Override
    public Optional<StoredFile> find(FileKey key) {
        return index.area(key.area()).get(key.name());
    }

    @Override
    public List<StoredFile> list(StagingArea area) {
        return index.area(area).files();
    }

    @Override
    public List<StoredFile> listPage(StagingArea area, String after, int limit, NameGlob names) {
        return index.area(area).page(after, limit, names::matches);
    }

    @Override
    public long usedBytes(StagingArea area) {
        return index.area(area).usedBytes();
    }

    @Override
    public Optional<StoredContent> open(FileKey key, ByteRange range) {
        AreaIndex.Area area = index.area(key.area());
        // Under the area's lock, which deletes and commits take too: the metadata and the opened content are of one
        // version. The open channel keeps reading that version after a delete or a new upload of the name.
        synchronized (area) {
            Optional<StoredFile> found = area.get(key.name());
            if (found.isEmpty()) {
                return Optional.empty();
            }
            StoredFile file = found.get();
            ContentSlice slice = range.within(file.sizeBytes());
            if (slice instanceof ContentSlice.Unsatisfiable) {
                return Optional.of(new StoredContent(file, slice, InputStream.nullInputStream()));
            }
            try {
                FileChannel channel = FileChannel.open(directory.fileDirectory(key).resolve(DataDirectory.CONTENT),
                        StandardOpenOption.READ);
                return Optional.of(new StoredContent(file, slice,
                        new ChannelSlice(channel, slice.first(), slice.length())));
            } catch (IOException e) {
                throw IoErrors.translate("open " + key.name(), e);
            }
        }
    }

    @Override
    public Optional<StoredFile> delete(FileKey key) {
        return delete(key, file -> true);
    }

    @Override
    public Optional<StoredFile> delete(FileKey key, java.util.UUID id) {
        return delete(key, file -> file.id().equals(id));
    }

    /** Moves the file to the trash if it passes {@code condition}, checked under the area's lock. */
    private Optional<StoredFile> delete(FileKey key, java.util.function.Predicate<StoredFile> condition) {
        AreaIndex.Area area = index.area(key.area());
        Path source = directory.fileDirectory(key);
        Path trashEntry = directory.newTrashEntry();
        Optional<StoredFile> removed;
        try {
            synchronized (area) {
                removed = area.get(key.name()).filter(condition);
                if (removed.isEmpty()) {
                    return removed;
                }
                Files.move(source, trashEntry, StandardCopyOption.ATOMIC_MOVE);
                area.remove(key.name());
            }
            DurableFiles.syncDirectory(source.getParent());
        } catch (IOException e) {
            throw IoErrors.translate("delete " + key.name(), e);
        }
        discard(trashEntry);
        return removed;
    }

    @Override
    public void close() {
        syncBehind.close();
        directory.close();
    }
}
