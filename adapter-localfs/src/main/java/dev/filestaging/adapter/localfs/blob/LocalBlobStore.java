package dev.filestaging.adapter.localfs.blob;

import dev.filestaging.adapter.localfs.io.DurableFiles;
import dev.filestaging.adapter.localfs.io.IoErrors;
import dev.filestaging.ports.out.StorageException;
import dev.filestaging.ports.out.blob.BlobCheckpoint;
import dev.filestaging.ports.out.blob.BlobStore;
import dev.filestaging.ports.out.blob.BlobWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Blobs as files of one directory (for instance {@code <data>/blobs/}):
 * <pre>
 *   {id}.part   a blob being written; its first {offset} bytes are durable once a sync returned that offset
 *   {id}        a finished blob, immutable; the rename from {id}.part (then an fsync of the directory) finishes it
 * </pre>
 * Only files named {@code {id}} are read, so an unfinished blob never is. A checkpoint's state is empty: the offset is
 * all a reopen needs, as it cuts the file back to it. Blob ids are checked against {@link BlobStore#ID}, so no id can
 * name a path outside the directory.
 *
 * <p>Several stores (processes) may open the same directory: each blob has one writer at a time, which is the
 * catalog's business, and everything else here is a single file-system call.
 */
public final class LocalBlobStore implements BlobStore, AutoCloseable {

    static final String PART_SUFFIX = ".part";

    /**
     * Room a write must leave on the disk: uploads stop (507) before the disk is full, so that the catalog, which
     * shares it, can still record deletes, and space can be freed through the API.
     */
    public static final long HEADROOM_BYTES = 8L * 1024 * 1024;

    private final Path directory;
    private final SyncBehind syncBehind = new SyncBehind();
    private final FileStore disk;
    private final long headroom;

    private LocalBlobStore(Path directory, FileStore disk, long headroom) {
        this.directory = directory;
        this.disk = disk;
        this.headroom = headroom;
    }

    /**
     * Opens the blob directory, creating it (durably) if needed.
     *
     * @throws StorageException the directory cannot be made or used
     */
    public static LocalBlobStore open(Path directory) {
        return open(directory, HEADROOM_BYTES);
    }

    /** The same, leaving {@code headroom} bytes free on the disk (a test gives its own). */
    static LocalBlobStore open(Path directory, long headroom) {
        Path absolute = directory.toAbsolutePath().normalize();
        try {
            if (!Files.isDirectory(absolute)) {
                Files.createDirectories(absolute);
                DurableFiles.syncDirectory(absolute.getParent());
            }
            return new LocalBlobStore(absolute, Files.getFileStore(absolute), headroom);
        } catch (IOException e) {
            throw IoErrors.translate("open the blob directory " + absolute, e);
        }
    }

    /** The blob directory (for the data directory's start-up, which settles what is in it). */
    public Path directory() {
        return directory;
    }

    /** Room on the blobs' disk, and a file made there: a full disk shows before uploads fail on it. */
    @Override
    public dev.filestaging.ports.out.StoreHealth health() {
        return DiskHealth.of(directory, directory);
    }

    /**
     * Refuses a write of {@code adding} bytes that would leave less than the headroom free.
     *
     * @throws StorageException.StorageFullException it would
     */
    void requireRoom(String blobId, long adding) {
        long free;
        try {
            free = disk.getUsableSpace();
        } catch (IOException e) {
            return; // the write itself says what is wrong with the disk
        }
        if (free - adding < headroom) {
            throw new StorageException.StorageFullException("the data directory's disk has " + free + " bytes left;"
                    + " uploads stop while fewer than " + headroom + " would be left, so that deletes can still be"
                    + " recorded (writing the blob " + blobId + ")", null);
        }
    }

    /** Where {@code blobId} is once finished (for the data directory's start-up and import). */
    public Path finished(String blobId) {
        return directory.resolve(BlobStore.checkedId(blobId));
    }

    /** Where {@code blobId} is while being written (for the data directory's start-up and import). */
    public Path unfinished(String blobId) {
        return directory.resolve(BlobStore.checkedId(blobId) + PART_SUFFIX);
    }

    @Override
    public BlobWriter create(String blobId) {
        Path part = unfinished(blobId);
        if (Files.exists(finished(blobId))) {
            throw new IllegalStateException("the blob " + blobId + " exists");
        }
        try {
            FileChannel channel = FileChannel.open(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            return LocalBlobWriter.writing(this, blobId, channel, 0, syncBehind, true);
        } catch (IOException e) {
            throw IoErrors.translate("create the blob " + blobId, e);
        }
    }

    /**
     * Cuts {@code {id}.part} back to the checkpoint's offset. A blob found finished (a finish that got through before a
     * crash) is made unfinished again first ({@link #unfinish}).
     */
    @Override
    public BlobWriter reopen(String blobId, BlobCheckpoint checkpoint) {
        Path part = unfinished(blobId);
        FileChannel channel = null;
        try {
            channel = FileChannel.open(part, StandardOpenOption.WRITE);
            if (channel.size() < checkpoint.offset()) {
                throw new StorageException("the blob " + blobId + " holds " + channel.size() + " bytes, fewer than its"
                        + " checkpoint's " + checkpoint.offset());
            }
            channel.truncate(checkpoint.offset());
            channel.position(checkpoint.offset());
            return LocalBlobWriter.writing(this, blobId, channel, checkpoint.offset(), syncBehind, false);
        } catch (NoSuchFileException unfinishedGone) {
            if (unfinish(blobId)) {
                return reopen(blobId, checkpoint);
            }
            throw new StorageException("there is no blob " + blobId + " to reopen (deleted, or never synced)",
                    unfinishedGone);
        } catch (IOException e) {
            LocalBlobWriter.closeQuietly(channel);
            throw IoErrors.translate("reopen the blob " + blobId, e);
        } catch (RuntimeException e) {
            LocalBlobWriter.closeQuietly(channel);
            throw e;
        }
    }

    /**
     * Makes a finished blob unfinished again, for a reopen at one of its checkpoints: it was finished by a commit that
     * crashed before its file was recorded (a recorded file's blob is never reopened), so the bytes after the
     * checkpoint were never acknowledged, and the client may send other bytes in their place. Keeping the finished
     * file and only checking the length written again once staged a file whose MD5 was not of its bytes.
     *
     * @return whether there was a finished blob
     */
    private boolean unfinish(String blobId) {
        Path whole = finished(blobId);
        if (!Files.exists(whole)) {
            return false;
        }
        try {
            Files.move(whole, unfinished(blobId), StandardCopyOption.ATOMIC_MOVE);
            DurableFiles.syncDirectory(directory());
            return true;
        } catch (IOException e) {
            throw IoErrors.translate("reopen the finished blob " + blobId, e);
        }
    }

    @Override
    public InputStream readDurable(String blobId, BlobCheckpoint checkpoint) {
        BlobStore.checkedId(blobId);
        // an unfinished blob, or one whose finish got through before a crash: its first bytes are the durable ones
        for (Path candidate : List.of(unfinished(blobId), finished(blobId))) {
            try {
                FileChannel channel = FileChannel.open(candidate, StandardOpenOption.READ);
                if (channel.size() < checkpoint.offset()) {
                    LocalBlobWriter.closeQuietly(channel);
                    throw new StorageException("the blob " + blobId + " holds " + channel.size() + " bytes, fewer than"
                            + " its checkpoint's " + checkpoint.offset());
                }
                return new ChannelSlice(channel, 0, checkpoint.offset());
            } catch (NoSuchFileException notThere) {
                // the other name, then
            } catch (IOException e) {
                throw IoErrors.translate("read the blob " + blobId, e);
            }
        }
        throw new StorageException("there is no blob " + blobId + " to read its durable bytes from");
    }

    @Override
    public Optional<InputStream> read(String blobId, long first, long length) {
        Path whole = finished(blobId);
        FileChannel channel;
        try {
            channel = FileChannel.open(whole, StandardOpenOption.READ);
        } catch (NoSuchFileException notThere) {
            return Optional.empty();
        } catch (IOException e) {
            throw IoErrors.translate("read the blob " + blobId, e);
        }
        try {
            long size = channel.size();
            if (first < 0 || length < 0 || first > size - length) {
                throw new IllegalArgumentException("the blob " + blobId + " has " + size + " bytes, not " + length
                        + " from " + first);
            }
            // the open channel keeps reading this blob's bytes even if it is deleted meanwhile
            return Optional.of(new ChannelSlice(channel, first, length));
        } catch (IOException | RuntimeException e) {
            LocalBlobWriter.closeQuietly(channel);
            if (e instanceof IOException io) {
                throw IoErrors.translate("read the blob " + blobId, io);
            }
            throw (RuntimeException) e;
        }
    }

    @Override
    public void delete(String blobId) {
        try {
            boolean removed = Files.deleteIfExists(unfinished(blobId)) | Files.deleteIfExists(finished(blobId));
            if (removed) {
                DurableFiles.syncDirectory(directory); // a delete that a crash undoes would leave a blob nobody knows
            }
        } catch (IOException e) {
            throw IoErrors.translate("delete the blob " + blobId, e);
        }
    }

    /** Lists {@code {id}} and {@code {id}.part} files; an id with both (never made by this store) is listed once. */
    @Override
    public void enumerate(Consumer<BlobInfo> each) {
        Map<String, BlobInfo> listed = new HashMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                String id = name.endsWith(PART_SUFFIX) ? name.substring(0, name.length() - PART_SUFFIX.length()) : name;
                if (!BlobStore.ID.matcher(id).matches()) {
                    continue; // not a blob's file
                }
                try {
                    BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                    listed.merge(id, new BlobInfo(id, attributes.size(), attributes.lastModifiedTime().toInstant()),
                            (a, b) -> a.bytes() >= b.bytes() ? a : b);
                } catch (NoSuchFileException deletedMeanwhile) {
                    // gone: nothing to sweep
                }
            }
        } catch (IOException e) {
            throw IoErrors.translate("list the blob directory " + directory, e);
        }
        listed.values().forEach(each);
    }

    @Override
    public void close() {
        syncBehind.close();
    }
}
