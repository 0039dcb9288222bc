package dev.filestaging.adapter.localfs;

import dev.filestaging.ports.StoredFile;
import dev.filestaging.ports.out.CommitOutcome;
import dev.filestaging.ports.out.ResumableFile;
import dev.filestaging.ports.out.ResumableUploads.UploadStatus;
import dev.filestaging.ports.out.UploadTicket;
import dev.filestaging.storage.records.StoredFileRecord;
import dev.filestaging.storage.records.UploadTicketRecord;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * One writer's hold on a resumable upload on local disk. A sync forces the content, then replaces the upload's record
 * with the new offset (temp file, fsync, rename, fsync of the directory): the offset on disk never runs ahead of
 * the bytes. Bytes past the recorded offset (from a write that was never synced) are cut when the upload is opened.
 */
final class LocalResumableFile implements ResumableFile {

    /**
     * Every append ends with a sync the client waits for, so data is pushed to disk more often than for a one-request
     * upload: what is left for that sync is at most this much.
     */
    static final long SYNC_BEHIND_BYTES = 4L * 1024 * 1024;

    private final LocalResumableUploads uploads;
    private final Path directory;
    private final FileChannel content;
    private final SyncBehind.Tracker syncBehind;
    private UploadTicket ticket;
    private long offset;
    private long written;
    private boolean ended;

    LocalResumableFile(LocalResumableUploads uploads, Path directory, UploadStatus status, SyncBehind syncBehind)
            throws IOException {
        this.uploads = uploads;
        this.directory = directory;
        this.ticket = status.ticket();
        this.offset = status.offset();
        this.written = offset;
        this.content = FileChannel.open(directory.resolve(DataDirectory.CONTENT), StandardOpenOption.WRITE);
        content.truncate(offset);
        content.position(offset);
        // a large append is pushed to disk while it arrives, so the sync that acknowledges it finds little to do
        this.syncBehind = syncBehind.track(content, SYNC_BEHIND_BYTES);
    }

    @Override
    public UploadTicket ticket() {
        return ticket;
    }

    @Override
    public long offset() {
        return offset;
    }

    @Override
    public void write(byte[] buffer, int from, int length) {
        requireOpen();
        ByteBuffer bytes = ByteBuffer.wrap(buffer, from, length);
        try {
            while (bytes.hasRemaining()) {
                content.write(bytes);
            }
            written += length;
            syncBehind.wrote(length);
        } catch (IOException e) {
            throw IoErrors.translate("write the upload " + ticket.id(), e);
        }
    }

    @Override
    public long sync() {
        requireOpen();
        try {
            content.force(false);
            record(ticket, written);
            offset = written;
            uploads.synced(ticket, offset);
            return offset;
        } catch (IOException e) {
            throw IoErrors.translate("sync the upload " + ticket.id(), e);
        }
    }

    @Override
    public void rollback() {
        requireOpen();
        try {
            content.truncate(offset);
            content.position(offset);
            written = offset;
        } catch (IOException e) {
            throw IoErrors.translate("roll back the upload " + ticket.id(), e);
        }
    }

    @Override
    public InputStream readDurable() {
        try {
            FileChannel channel = FileChannel.open(directory.resolve(DataDirectory.CONTENT), StandardOpenOption.READ);
            return new ChannelSlice(channel, 0, offset);
        } catch (IOException e) {
            throw IoErrors.translate("read back the upload " + ticket.id(), e);
        }
    }

    @Override
    public void declareLength(long length) {
        requireOpen();
        UploadTicket declared = ticket.withLength(length);
        try {
            record(declared, offset);
        } catch (IOException e) {
            throw IoErrors.translate("record the length of the upload " + ticket.id(), e);
        }
        ticket = declared;
        uploads.synced(ticket, offset);
    }

    @Override
    public CommitOutcome commit(StoredFile metadata) {
        requireOpen();
        if (!metadata.key().equals(ticket.key()) || metadata.sizeBytes() != offset || written != offset) {
            throw new IllegalStateException("commit what was synced, under the upload's name: " + metadata);
        }
        try {
            DurableFiles.writeAndSync(directory.resolve(DataDirectory.METADATA),
                    new StoredFileRecord(metadata, Map.of()).encode());
            DurableFiles.syncDirectory(directory);
            CommitOutcome outcome = uploads.store().publishUpload(directory, metadata, uploads, ticket);
            if (outcome instanceof CommitOutcome.Committed) {
                ended = true;
            } else {
                Files.deleteIfExists(directory.resolve(DataDirectory.METADATA));
            }
            return outcome;
        } catch (IOException e) {
            throw IoErrors.translate("commit the upload " + ticket.id(), e);
        }
    }

    @Override
    public void terminate() {
        requireOpen();
        ended = true;
        closeChannel();
        uploads.ended(ticket, directory);
    }

    @Override
    public void close() {
        closeChannel();
        uploads.released(ticket.id());
    }

    private void record(UploadTicket recorded, long durable) throws IOException {
        Path temp = directory.resolve(LocalResumableUploads.RECORD + ".tmp");
        Files.deleteIfExists(temp); // left by a sync that a crash cut short
        DurableFiles.writeAndSync(temp, new UploadTicketRecord(recorded, durable).encode());
        Files.move(temp, directory.resolve(LocalResumableUploads.RECORD), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
        DurableFiles.syncDirectory(directory);
    }

    private void closeChannel() {
        try {
            content.close();
        } catch (IOException ignored) {
            // nothing was pending: every write that mattered was synced
        }
    }

    private void requireOpen() {
        if (ended) {
            throw new IllegalStateException("the upload " + ticket.id() + " has ended");
        }
    }
}
