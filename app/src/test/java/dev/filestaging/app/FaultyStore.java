package dev.filestaging.app;

import dev.filestaging.domain.storage.CommitOutcome;
import dev.filestaging.domain.storage.ForwardingResumableFile;
import dev.filestaging.domain.storage.PendingFile;
import dev.filestaging.domain.storage.ResumableFile;
import dev.filestaging.domain.storage.ResumableUploads;
import dev.filestaging.domain.storage.StagingStore;
import dev.filestaging.ports.ByteRange;
import dev.filestaging.ports.FileKey;
import dev.filestaging.ports.NameGlob;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.StoredContent;
import dev.filestaging.ports.StoredFile;
import dev.filestaging.ports.out.StorageException;
import dev.filestaging.ports.out.UploadTicket;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A real store with one fault planned at a chosen point of its resumable uploads: the storage failing there ("disk
 * full": a write stores part of its bytes first) or the process dying there ({@link Killed}). Once killed, every call
 * of this instance fails with {@link Killed} and closing lets go of nothing, as after {@code kill -9}: what the real
 * store had written stays as it was, and the test drops the instance and opens the storage again.
 */
final class FaultyStore implements StagingStore {

    /** Where a planned fault strikes: before or after the real call (a write: after {@link Fault#bytes} bytes). */
    enum Point { RESERVE_BEFORE, RESERVE_AFTER, WRITE, SYNC_BEFORE, SYNC_AFTER, DECLARE_BEFORE, DECLARE_AFTER,
        COMMIT_BEFORE, COMMIT_AFTER, TERMINATE_BEFORE, TERMINATE_AFTER }

    enum Kind { KILL, FULL }

    /** One planned fault; {@code bytes}: how many bytes of one append reach the store before a write fault. */
    record Fault(Point point, Kind kind, long bytes) {
        @Override
        public String toString() {
            return kind.name().toLowerCase() + "@" + point.name().toLowerCase() + (point == Point.WRITE ? "+" + bytes : "");
        }
    }

    /** The process died here: nothing after it ran. */
    static final class Killed extends Error {
        Killed(Fault fault) {
            super("killed at " + fault, null, false, false);
        }
    }

    private final StagingStore real;
    private final ResumableUploads realUploads;
    private final Uploads uploads = new Uploads();
    private volatile Fault planned;
    private volatile boolean killed;
    private volatile boolean fired;
    /** Bytes written through this instance since the fault was planned. */
    private long written;
    /** The last ticket the real store recorded (a kill after the reservation leaves an upload the client never heard of). */
    private volatile UploadTicket lastReserved;

    FaultyStore(StagingStore real) {
        this.real = real;
        this.realUploads = real.uploads();
    }

    /** Plans {@code fault} for what comes next; null for none. */
    void plan(Fault fault) {
        planned = fault;
        fired = false;
        written = 0;
        lastReserved = null;
    }

    /** Whether the planned fault struck. */
    boolean fired() {
        return fired;
    }

    boolean killed() {
        return killed;
    }

    Optional<UploadTicket> lastReserved() {
        return Optional.ofNullable(lastReserved);
    }

    private void alive() {
        if (killed) {
            throw new Killed(planned);
        }
    }

    /** Strikes if {@code point} is the planned one: dies, or fails as a full disk. */
    private void at(Point point) {
        alive();
        Fault fault = planned;
        if (fault != null && fault.point() == point) {
            strike(fault);
        }
    }

    private void strike(Fault fault) {
        planned = null;
        fired = true;
        if (fault.kind() == Kind.KILL) {
            planned = fault;
            killed = true;
            throw new Killed(fault);
        }
        throw new StorageException.StorageFullException("injected: no space left on device (" + fault + ")",
                new java.io.IOException("No space left on device"));
    }

    @Override
    public ResumableUploads uploads() {
        return uploads;
    }

    @Override
    public Optional<dev.filestaging.domain.storage.DirectReads> directReads() {
        return real.directReads();
    }

    @Override
    public PendingFile create(FileKey key) {
        alive();
        return real.create(key);
    }

    @Override
    public Optional<StoredFile> find(FileKey key) {
        alive();
        return real.find(key);
    }

    @Override
    public List<StoredFile> list(StagingArea area) {
        alive();
        return real.list(area);
    }

    @Override
    public List<StoredFile> listPage(StagingArea area, String after, int limit, NameGlob names) {
        alive();
        return real.listPage(area, after, limit, names);
    }

    @Override
    public long usedBytes(StagingArea area) {
        alive();
        return real.usedBytes(area);
    }

    @Override
    public Optional<StoredContent> open(FileKey key, ByteRange range) {
        alive();
        return real.open(key, range);
    }

    @Override
    public Optional<StoredFile> delete(FileKey key) {
        alive();
        return real.delete(key);
    }

    @Override
    public Optional<StoredFile> delete(FileKey key, UUID id) {
        alive();
        return real.delete(key, id);
    }

    private final class Uploads implements ResumableUploads {
        @Override
        public Optional<UploadTicket> reserve(UploadTicket ticket) {
            at(Point.RESERVE_BEFORE);
            Optional<UploadTicket> reserved = realUploads.reserve(ticket);
            if (reserved.isPresent()) {
                lastReserved = reserved.get();
            }
            at(Point.RESERVE_AFTER);
            return reserved;
        }

        @Override
        public Reservation reserveWithin(UploadTicket ticket, long maxBytes, long maxOpenUploads) {
            at(Point.RESERVE_BEFORE);
            Reservation reserved = realUploads.reserveWithin(ticket, maxBytes, maxOpenUploads);
            if (reserved instanceof Reservation.Reserved done) {
                lastReserved = done.ticket();
            }
            at(Point.RESERVE_AFTER);
            return reserved;
        }

        @Override
        public Optional<UploadStatus> status(String uploadId) {
            alive();
            return realUploads.status(uploadId);
        }

        @Override
        public Opened openForWriting(String uploadId) {
            alive();
            Opened opened = realUploads.openForWriting(uploadId);
            return opened instanceof Opened.Writing writing ? new Opened.Writing(new File(writing.file())) : opened;
        }

        @Override
        public Optional<UploadTicket> staged(String uploadId) {
            alive();
            return realUploads.staged(uploadId);
        }

        @Override
        public boolean isReserved(FileKey key) {
            alive();
            return realUploads.isReserved(key);
        }

        @Override
        public long heldBytes(StagingArea area) {
            alive();
            return realUploads.heldBytes(area);
        }

        @Override
        public long openCount() {
            alive();
            return realUploads.openCount();
        }

        @Override
        public long openCount(StagingArea area) {
            alive();
            return realUploads.openCount(area);
        }

        @Override
        public List<UploadTicket> expire(Instant now) {
            alive();
            return realUploads.expire(now);
        }
    }

    private final class File extends ForwardingResumableFile {
        File(ResumableFile file) {
            super(file);
        }

        @Override
        public void write(byte[] buffer, int offset, int length) {
            alive();
            Fault fault = planned;
            synchronized (FaultyStore.this) {
                if (fault != null && fault.point() == Point.WRITE && written + length > fault.bytes()) {
                    int first = (int) Math.max(0, fault.bytes() - written);
                    file.write(buffer, offset, first); // a full disk takes what fits, then fails
                    written += first;
                    strike(fault);
                }
                written += length;
            }
            file.write(buffer, offset, length);
        }

        @Override
        public long sync() {
            at(Point.SYNC_BEFORE);
            long synced = file.sync();
            at(Point.SYNC_AFTER);
            return synced;
        }

        @Override
        public void rollback() {
            alive();
            file.rollback();
        }

        @Override
        public InputStream readDurable() {
            alive();
            return file.readDurable();
        }

        @Override
        public void declareLength(long length) {
            at(Point.DECLARE_BEFORE);
            file.declareLength(length);
            at(Point.DECLARE_AFTER);
        }

        @Override
        public CommitOutcome commit(StoredFile metadata) {
            at(Point.COMMIT_BEFORE);
            CommitOutcome outcome = file.commit(metadata);
            at(Point.COMMIT_AFTER);
            return outcome;
        }

        @Override
        public void terminate() {
            at(Point.TERMINATE_BEFORE);
            file.terminate();
            at(Point.TERMINATE_AFTER);
        }

        @Override
        public void close() {
            if (!killed) {
                file.close(); // a killed process lets go of nothing
            }
        }
    }
}
