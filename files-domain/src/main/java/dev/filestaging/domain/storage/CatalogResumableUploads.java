package dev.filestaging.domain.storage;

import dev.filestaging.ports.FileKey;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.out.UploadTicket;
import dev.filestaging.ports.out.blob.BlobCheckpoint;
import dev.filestaging.ports.out.blob.BlobStore;
import dev.filestaging.ports.out.catalog.Catalog;
import dev.filestaging.ports.out.catalog.LeaseOutcome;
import dev.filestaging.ports.out.catalog.UploadEntry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Resumable uploads whose state is the catalog's (name, ticket, durable checkpoint, writer's lease) and whose bytes
 * are one blob each. Any instance sharing the catalog and the blob store can continue an upload: the checkpoint
 * tells the blob store where the durable bytes end.
 */
final class CatalogResumableUploads implements ResumableUploads {
    /** How many expired uploads one step of {@link #expire} ends. */
    private static final int EXPIRY_BATCH = 500;

    private final Catalog catalog;
    private final BlobStore blobs;
    private final Clock clock;
    private final Duration leaseTime;

    CatalogResumableUploads(Catalog catalog, BlobStore blobs, Clock clock, Duration leaseTime) {
        this.catalog = catalog;
        this.blobs = blobs;
        this.clock = clock;
        this.leaseTime = leaseTime;
    }

    @Override
    public Optional<UploadTicket> reserve(UploadTicket ticket) {
        ResumableUploads.Reservation outcome = reserveWithin(ticket, Catalog.NO_LIMIT, Catalog.NO_LIMIT);
        if (outcome instanceof ResumableUploads.Reservation.Reserved reserved) {
            return Optional.of(reserved.ticket());
        }
        if (outcome instanceof ResumableUploads.Reservation.NameTaken) {
            return Optional.empty();
        }
        throw new IllegalStateException("no limit was given, yet " + outcome);
    }

    /** The catalog checks the limits against what every instance sharing it has open and committed. */
    @Override
    public ResumableUploads.Reservation reserveWithin(UploadTicket ticket, long maxBytes, long maxOpenUploads) {
        dev.filestaging.ports.out.catalog.Reservation outcome = catalog.reserve(ticket, BlobIds.next(),
                BlobCheckpoint.start(), maxBytes,
                maxOpenUploads);
        if (outcome instanceof dev.filestaging.ports.out.catalog.Reservation.Reserved reserved) {
            return new ResumableUploads.Reservation.Reserved(reserved.upload().ticket());
        }
        if (outcome instanceof dev.filestaging.ports.out.catalog.Reservation.NameTaken) {
            return new ResumableUploads.Reservation.NameTaken();
        }
        if (outcome instanceof dev.filestaging.ports.out.catalog.Reservation.OverLimit) {
            return new ResumableUploads.Reservation.OverQuota();
        }
        return new ResumableUploads.Reservation.TooManyOpen();
    }

    @Override
    public Optional<UploadStatus> status(String uploadId) {
        return catalog.upload(uploadId).map(upload -> new UploadStatus(upload.ticket(), upload.offset()));
    }

    @Override
    public Opened openForWriting(String uploadId) {
        LeaseOutcome outcome = catalog.lease(uploadId, leaseTime);
        if (outcome instanceof LeaseOutcome.Leased leased) {
            return new Opened.Writing(
                    new CatalogResumableFile(catalog, blobs, leased.lease(), leased.upload(), clock, leaseTime));
        }
        return outcome instanceof LeaseOutcome.Busy ? new Opened.Busy() : new Opened.Gone();
    }

    @Override
    public Optional<UploadTicket> staged(String uploadId) {
        return catalog.staged(uploadId);
    }

    @Override
    public boolean isReserved(FileKey key) {
        return catalog.isReserved(key);
    }

    @Override
    public long heldBytes(StagingArea area) {
        return catalog.usage(area).heldBytes();
    }

    @Override
    public long openCount() {
        return catalog.openUploads();
    }

    @Override
    public long openCount(StagingArea area) {
        return catalog.usage(area).openUploads();
    }

    @Override
    public List<UploadTicket> expire(Instant now) {
        List<UploadTicket> expired = new ArrayList<>();
        List<UploadEntry> batch;
        do {
            batch = catalog.expire(now, EXPIRY_BATCH);
            for (UploadEntry upload : batch) {
                Blobs.deleteQuietly(blobs, upload.blobId());
                expired.add(upload.ticket());
            }
        } while (batch.size() == EXPIRY_BATCH);
        return expired;
    }
}
