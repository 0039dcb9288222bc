package dev.filestaging.adapter.localfs.blob;

import dev.filestaging.adapter.localfs.io.DurableFiles;
import dev.filestaging.adapter.localfs.io.IoErrors;
import dev.filestaging.ports.out.StorageException;
import dev.filestaging.ports.out.blob.BlobCheckpoint;
import dev.filestaging.ports.out.blob.BlobWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The one writer of a blob on local disk. A sync is an fdatasync of {@code {id}.part} (and, the first time after its
 * creation, an fsync of the directory, so the file's name survives a crash too). A finish makes the bytes durable,
 * renames the file to {@code {id}} and fsyncs the directory: the blob is readable exactly when it is whole.
 */
final class LocalBlobWriter implements BlobWriter {
    private final LocalBlobStore store;
    private final String blobId;
    private final FileChannel channel;
    private final SyncBehind.Tracker syncBehind;
    private boolean nameDurable;
    private long written;
    /** Where the last sync left the blob (where it was opened, before any). */
    private long synced;
    private boolean finished;
    private boolean closed;

    private LocalBlobWriter(LocalBlobStore store, String blobId, FileChannel channel, SyncBehind syncBehind,
                            long offset, boolean nameDurable) {
        this.store = store;
        this.blobId = blobId;
        this.channel = channel;
        this.syncBehind = syncBehind.track(channel);
        this.written = offset;
        this.synced = offset;
        this.nameDurable = nameDurable;
    }

    /** A writer appending to {@code {id}.part} from {@code offset}; a created file's name is not durable yet. */
    static LocalBlobWriter writing(LocalBlobStore store, String blobId, FileChannel channel, long offset,
                                   SyncBehind syncBehind, boolean created) {
        return new LocalBlobWriter(store, blobId, channel, syncBehind, offset, !created);
    }

    @Override
    public String blobId() {
        return blobId;
    }

    @Override
    public long written() {
        return written;
    }

    @Override
    public void write(byte[] buffer, int offset, int length) {
        requireOpen();
        store.requireRoom(blobId, length);
        ByteBuffer bytes = ByteBuffer.wrap(buffer, offset, length);
        try {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            written += length;
            syncBehind.wrote(length);
        } catch (IOException e) {
            throw IoErrors.translate("write the blob " + blobId, e);
        }
    }

    @Override
    public BlobCheckpoint sync() {
        requireOpen();
        try {
            channel.force(false);
            if (!nameDurable) {
                DurableFiles.syncDirectory(store.directory());
                nameDurable = true;
            }
            synced = written;
            return new BlobCheckpoint(written, "");
        } catch (IOException e) {
            throw IoErrors.translate("sync the blob " + blobId, e);
        }
    }

    @Override
    public long finish() {
        requireOpen();
        try {
            channel.force(false);
            Files.move(store.unfinished(blobId), store.finished(blobId), StandardCopyOption.ATOMIC_MOVE);
            DurableFiles.syncDirectory(store.directory());
            finished = true;
            return written;
        } catch (IOException e) {
            throw IoErrors.translate("finish the blob " + blobId, e);
        }
    }

    /** Cuts {@code {id}.part} back to the last sync. */
    @Override
    public void discardUnsynced() {
        if (closed || finished || written == synced) {
            return;
        }
        try {
            channel.truncate(synced);
            channel.force(false);
            written = synced;
        } catch (IOException e) {
            // a reopen cuts it
        }
    }

    /**
     * Closes the file, without cutting it back to the last sync: a writer closed late (one whose request hung while
     * another process reopened the blob and went on) would cut the other writer's synced bytes. What this writer wrote
     * after its last sync stays in {@code {id}.part}, unreadable, until a reopen cuts it or a delete removes the file.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeQuietly(channel);
    }

    static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing was pending: every write that mattered was forced
            }
        }
    }

    private void requireOpen() {
        if (closed || finished) {
            throw new IllegalStateException("the writer of blob " + blobId + " is " + (closed ? "closed" : "finished"));
        }
    }
}
