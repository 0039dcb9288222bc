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
    private static final System.Logger LOG = System.getLogger(LocalResumableFile.class.getName());

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
    /** The ticket as last recorded: a length declared since is recorded by the next sync or commit. */
    private UploadTicket recorded;
    private long offset;
    private long written;
    private boolean ended;

    LocalResumableFile(LocalResumableUploads uploads, Path directory, UploadStatus status, SyncBehind syncBehind)
            throws IOException {
        this.uploads = uploads;
        this.directory = directory;
        this.ticket = status.ticket();
        this.recorded = ticket;
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
            recorded = ticket;
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
            ticket = recorded;
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
        ticket = ticket.withLength(length); // recorded with the bytes of the request that declared it
    }

    @Override
    public CommitOutcome commit(StoredFile metadata) {
        requireOpen();
        if (!metadata.key().equals(ticket.key()) || metadata.sizeBytes() != written) {
            throw new IllegalStateException("commit what was written, under the upload's name: " + metadata);
        }
        try {
            content.force(false); // the last bytes, never synced: durable with the commit, not before
            // left by a commit that a crash cut short before its publish: this commit writes its own
            Files.deleteIfExists(directory.resolve(DataDirectory.METADATA));
            DurableFiles.writeAndSync(directory.resolve(DataDirectory.METADATA),
                    new StoredFileRecord(metadata, Map.of()).encode());
            DurableFiles.syncDirectory(directory);
            CommitOutcome outcome = uploads.store().publishUpload(directory, metadata, uploads,
                    ticket.withLength(metadata.sizeBytes()));
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

    /** Cuts back what was written and never synced (a failed write, a full disk): it was never acknowledged. */
    @Override
    public void close() {
        try {
            if (!ended && written != offset) {
                content.truncate(offset);
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "could not cut the upload {0} back to {1} bytes ({2}); the next"
                    + " open or start does", ticket.id(), offset, e.getMessage());
        } finally {
            closeChannel();
            uploads.released(ticket.id());
        }
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
