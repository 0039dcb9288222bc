package dev.filestaging.adapter.localfs.directory;

import dev.filestaging.adapter.localfs.blob.LocalBlobStore;
import dev.filestaging.adapter.localfs.catalog.LocalCatalog;
import dev.filestaging.adapter.localfs.io.DurableFiles;
import dev.filestaging.adapter.localfs.io.IoErrors;
import dev.filestaging.ports.FileKey;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.out.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;

/**
 * A data directory owned by one process at a time: its lock, what start-up settles in it ({@link #settle}), and the
 * places of the layout before the catalog, which {@link LegacyDataImport} reads (see
 * {@link dev.filestaging.adapter.localfs.LocalStorage} for today's):
 * <pre>
 *   .lock                              held (fcntl lock) while a process has the directory open; holds its pid
 *   staging/{org}/{project}/{sha256 of name}/content, metadata.properties   committed files (earlier layout)
 *   uploads/{id}/content, upload.properties   resumable uploads in progress (earlier layout)
 *   tmp/, trash/                       half-done writes and deletes of the earlier layout; removed at start-up
 *   quarantine/{uuid}/                 what the import found damaged, kept for the operator to inspect
 * </pre>
 */
public final class DataDirectory implements AutoCloseable {
    static final String CONTENT = "content";
    static final String METADATA = "metadata.properties";

    private final Path root;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private DataDirectory(Path root, FileChannel lockChannel, FileLock lock) {
        this.root = root;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Creates the directory if needed, takes its lock and removes what a previous process left half-done.
     *
     * @throws StorageException the directory cannot be used, or another process has it open
     */
    public static DataDirectory open(Path root) {
        Path absolute = root.toAbsolutePath().normalize();
        FileChannel channel = null;
        try {
            Files.createDirectories(absolute);
            channel = FileChannel.open(absolute.resolve(".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock = tryLock(channel);
            if (lock == null) {
                String owner = new String(Files.readAllBytes(absolute.resolve(".lock")), StandardCharsets.UTF_8).trim();
                channel.close();
                throw new StorageException("the data directory " + absolute + " is in use by another process"
                        + (owner.isEmpty() ? "" : " (pid " + owner + ")")
                        + "; stop that process or set FILES_DATA_DIR to another directory");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)), 0);
            DataDirectory directory = new DataDirectory(absolute, channel, lock);
            directory.prepare();
            return directory;
        } catch (IOException e) {
            closeQuietly(channel);
            throw IoErrors.translate("open the data directory " + absolute, e);
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException heldInThisProcess) {
            return null;
        }
    }

    /** Removes what a process of the earlier layout left half-done: nothing of it was ever acknowledged. */
    private void prepare() throws IOException {
        for (String leftovers : new String[] {"tmp", "trash"}) {
            DurableFiles.deleteRecursively(root.resolve(leftovers));
        }
        DurableFiles.syncDirectory(root);
    }

    public Path root() {
        return root;
    }

    /**
     * Readies the directory, opened with {@code catalog} and {@code blobs}, for serving, in this order: refuses a lost
     * catalog ({@link StartupCleanup#refuseLostCatalog}), brings in what an earlier version left
     * ({@link LegacyDataImport}), settles what a stopped process left ({@link StartupCleanup#run}, quarantining under
     * {@code quarantine/blobs/}) and keeps earlier versions off it ({@link EarlierVersionGuard}).
     *
     * @return how many files and open uploads of an earlier version were brought into the catalog
     * @throws StorageException the catalog was lost, or a blob could not be settled
     */
    public int settle(LocalCatalog catalog, LocalBlobStore blobs) throws IOException {
        StartupCleanup.refuseLostCatalog(catalog, blobs);
        LegacyDataImport.Tally tally = LegacyDataImport.run(this, catalog, blobs);
        StartupCleanup.run(catalog, blobs, quarantine().resolve("blobs"));
        EarlierVersionGuard.place(this);
        return tally.files() + tally.uploads();
    }

    Path staging() {
        return root.resolve("staging");
    }

    Path uploads() {
        return root.resolve("uploads");
    }

    Path quarantine() {
        return root.resolve("quarantine");
    }

    Path areaDirectory(StagingArea area) {
        return staging().resolve(area.organization().value()).resolve(area.project().value());
    }

    Path fileDirectory(FileKey key) {
        return areaDirectory(key.area()).resolve(key.nameDigest());
    }

    /** Every committed file's directory: staging/{org}/{project}/{hash}. */
    Stream<Path> committedFileDirectories() throws IOException {
        return Files.find(staging(), 3, (path, attributes) -> attributes.isDirectory()
                && staging().relativize(path).getNameCount() == 3);
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel releases it too
        }
        closeQuietly(lockChannel);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing left to do with it
            }
        }
    }
}
