package dev.filestaging.adapter.localfs;

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
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The layout of a data directory, owned by one process at a time:
 * <pre>
 *   .lock                              held (fcntl lock) while a store has the directory open; holds the owner's pid
 *   staging/{org}/{project}/{sha256 of name}/content, metadata.properties   committed files
 *   tmp/{uuid}/                        files being written; swept at start-up
 *   trash/{uuid}/                      deleted files being removed; swept at start-up
 *   quarantine/{uuid}/                 staged files found corrupt at start-up, kept for the operator to inspect
 *   uploads/{id}/content, upload.properties   resumable uploads in progress, kept across restarts
 * </pre>
 * Names become hashes so that no user-supplied string is ever part of a path.
 */
final class DataDirectory implements AutoCloseable {
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
    static DataDirectory open(Path root) {
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

    private void prepare() throws IOException {
        Files.createDirectories(staging());
        for (Path leftovers : new Path[] {tmp(), trash()}) {
            DurableFiles.deleteRecursively(leftovers);
            Files.createDirectories(leftovers);
        }
        DurableFiles.syncDirectory(root);
    }

    Path root() {
        return root;
    }

    Path staging() {
        return root.resolve("staging");
    }

    Path tmp() {
        return root.resolve("tmp");
    }

    Path trash() {
        return root.resolve("trash");
    }

    Path uploads() {
        return root.resolve("uploads");
    }

    Path newTempDirectory() throws IOException {
        return Files.createDirectory(tmp().resolve(UUID.randomUUID().toString()));
    }

    Path quarantine() {
        return root.resolve("quarantine");
    }

    Path newTrashEntry() {
        return trash().resolve(UUID.randomUUID().toString());
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
