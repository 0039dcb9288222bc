package dev.filestaging.app.metrics;

import dev.filestaging.domain.storage.CommitOutcome;
import dev.filestaging.domain.storage.ForwardingResumableFile;
import dev.filestaging.domain.storage.ResumableFile;
import dev.filestaging.domain.storage.ResumableUploads;
import dev.filestaging.ports.FileKey;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.StoredFile;
import dev.filestaging.ports.out.UploadTicket;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A store's resumable uploads with their calls timed as the store's are ({@link MeteredStagingStore}): those that
 * find, open and end uploads, and an open upload's sync, commit, rollback and termination. Writing bytes is timed by
 * the request it belongs to.
 */
final class MeteredResumableUploads implements ResumableUploads {
    private final ResumableUploads uploads;
    private final StorageCallTimer timer;
    private final AreaUsageMeters areas;

    /** @param areas told of every area whose used bytes an upload's commit changed */
    MeteredResumableUploads(ResumableUploads uploads, StorageCallTimer timer, AreaUsageMeters areas) {
        this.uploads = uploads;
        this.timer = timer;
        this.areas = areas;
    }

    @Override
    public Optional<UploadTicket> reserve(UploadTicket ticket) {
        return timer.timed("upload_reserve", () -> uploads.reserve(ticket));
    }

    @Override
    public Reservation reserveWithin(UploadTicket ticket, long maxBytes, long maxOpenUploads) {
        return timer.timed("upload_reserve", () -> uploads.reserveWithin(ticket, maxBytes, maxOpenUploads));
    }

    @Override
    public Optional<UploadStatus> status(String uploadId) {
        return timer.timed("upload_status", () -> uploads.status(uploadId));
    }

    @Override
    public Opened openForWriting(String uploadId) {
        Opened opened = timer.timed("upload_open", () -> uploads.openForWriting(uploadId));
        return opened instanceof Opened.Writing writing ? new Opened.Writing(new Timed(writing.file())) : opened;
    }

    @Override
    public Optional<UploadTicket> staged(String uploadId) {
        return timer.timed("upload_staged", () -> uploads.staged(uploadId));
    }

    @Override
    public boolean isReserved(FileKey key) {
        return timer.timed("upload_reserved", () -> uploads.isReserved(key));
    }

    @Override
    public long heldBytes(StagingArea area) {
        return timer.timed("upload_held_bytes", () -> uploads.heldBytes(area));
    }

    @Override
    public long openCount() {
        return timer.timed("upload_open_count", uploads::openCount);
    }

    @Override
    public long openCount(StagingArea area) {
        return timer.timed("upload_open_count", () -> uploads.openCount(area));
    }

    @Override
    public List<UploadTicket> expire(Instant now) {
        return timer.timed("upload_expire", () -> uploads.expire(now));
    }

    /** An open upload whose steps are timed, and whose commit tells the area meters that used bytes changed. */
    private final class Timed extends ForwardingResumableFile {
        Timed(ResumableFile file) {
            super(file);
        }

        @Override
        public long sync() {
            return timer.timed("upload_sync", file::sync);
        }

        @Override
        public void rollback() {
            timer.run("upload_rollback", file::rollback);
        }

        @Override
        public CommitOutcome commit(StoredFile metadata) {
            try {
                return timer.timed("upload_commit", () -> file.commit(metadata));
            } finally {
                areas.used(metadata.key().area());
            }
        }

        @Override
        public void terminate() {
            timer.run("upload_terminate", file::terminate);
        }
    }
}
