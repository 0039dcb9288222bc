package dev.filestaging.domain.storage;

import dev.filestaging.ports.ByteRange;
import dev.filestaging.ports.ContentSlice;
import dev.filestaging.ports.FileKey;
import dev.filestaging.ports.NameGlob;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.StoredContent;
import dev.filestaging.ports.StoredFile;
import dev.filestaging.ports.out.StoreHealth;
import dev.filestaging.ports.out.blob.BlobStore;
import dev.filestaging.ports.out.catalog.Catalog;
import dev.filestaging.ports.out.catalog.CatalogFile;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.ToLongFunction;

/**
 * A {@link StagingStore} with resumable uploads made of a catalog and a blob store. The catalog decides: a file
 * exists once the catalog recorded it (after its blob was finished), and is gone once the catalog removed it (its
 * blob is deleted after). So every question about names, listings and usage is the catalog's, answered without
 * reading the area, and the blob store only ever sees whole blobs by id.
 */
public final class CatalogStagingStore implements StagingStore {
    /**
     * How long a blob must be untouched before a sweep may take it for an orphan: far longer than any upload can stay
     * between its last write and its commit.
     */
    public static final Duration ORPHAN_AGE = Duration.ofHours(24);
    /** How many files a listing reads from the catalog at once. */
    private static final int LIST_PAGE = 1000;

    private final Catalog catalog;
    private final BlobStore blobs;
    private final CatalogResumableUploads uploads;
    private final OrphanBlobSweep orphans;
    private final Clock clock;
    private final ToLongFunction<StagingArea> quota;

    /**
     * @param leaseTime how long an upload's writer may go without touching the catalog before another instance may
     *                  take the upload over (it renews while it writes)
     */
    public CatalogStagingStore(Catalog catalog, BlobStore blobs, Clock clock, Duration leaseTime) {
        this(catalog, blobs, clock, leaseTime, area -> Catalog.NO_LIMIT);
    }

    /**
     * @param quota each area's quota: a one-request upload that would take its area past it, counting what every
     *              process sharing the catalog committed, is refused at the commit
     *              ({@link dev.filestaging.domain.storage.CommitOutcome.OverQuota})
     */
    public CatalogStagingStore(Catalog catalog, BlobStore blobs, Clock clock, Duration leaseTime,
                               ToLongFunction<StagingArea> quota) {
        this.quota = Objects.requireNonNull(quota, "quota");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.blobs = Objects.requireNonNull(blobs, "blobs");
        this.uploads = new CatalogResumableUploads(catalog, blobs, clock, leaseTime);
        this.orphans = new OrphanBlobSweep(catalog, blobs, ORPHAN_AGE);
        this.clock = clock;
    }

    /** With writers' leases of a minute. */
    public CatalogStagingStore(Catalog catalog, BlobStore blobs) {
        this(catalog, blobs, Clock.systemUTC(), Duration.ofMinutes(1));
    }

    @Override
    public StoreHealth health() {
        StoreHealth catalogHealth = catalog.health();
        return catalogHealth.serving() ? blobs.health() : catalogHealth;
    }

    @Override
    public List<SweepTally> sweeps() {
        return List.of(orphans.tally());
    }

    /**
     * Deletes the blobs no file or open upload has that were untouched for {@link #ORPHAN_AGE}; for the host to run
     * now and then (hourly, say), on one instance or several.
     *
     * @return how many it deleted
     */
    public long sweepOrphanBlobs() {
        return orphans.run(clock.instant());
    }

    /** How many files one step of {@link #expireFiles} removes. */
    private static final int EXPIRY_BATCH = 500;
    /** How many events one step of {@link #trimEvents} removes. */
    private static final int TRIM_BATCH = 5000;

    /**
     * Removes the files whose expiry has come, each with its {@code file.expired} event, and deletes their blobs; for
     * the host to run every few seconds, on one instance or several (a file expires once).
     *
     * @return how many it removed
     */
    public int expireFiles() {
        Instant now = clock.instant();
        int expired = 0;
        List<Catalog.Removed> batch;
        do {
            batch = catalog.expireFiles(now, EXPIRY_BATCH);
            batch.forEach(gone -> Blobs.deleteQuietly(blobs, gone.file().blobId()));
            expired += batch.size();
        } while (batch.size() == EXPIRY_BATCH);
        return expired;
    }

    /**
     * Removes the events recorded longer ago than {@code retention}; the change feed refuses a cursor from before them
     * rather than skip them.
     *
     * @return how many it removed
     */
    public long trimEvents(Duration retention) {
        Instant before = clock.instant().minus(retention);
        long trimmed = 0;
        int batch;
        do {
            batch = catalog.trimChanges(before, TRIM_BATCH);
            trimmed += batch;
        } while (batch == TRIM_BATCH);
        return trimmed;
    }

    @Override
    public ResumableUploads uploads() {
        return uploads;
    }

    @Override
    public Optional<DirectReads> directReads() {
        return blobs.capabilities().presignedReads().map(presigned -> new CatalogDirectReads(catalog, presigned));
    }

    @Override
    public PendingFile create(FileKey key) {
        return new CatalogPendingFile(key, catalog, blobs, quota.applyAsLong(key.area()));
    }

    @Override
    public Optional<StoredFile> find(FileKey key) {
        return catalog.find(key).map(CatalogFile::file);
    }

    @Override
    public List<StoredFile> list(StagingArea area) {
        List<StoredFile> all = new ArrayList<>();
        String after = null;
        while (true) {
            List<CatalogFile> page = catalog.page(area, after, LIST_PAGE, NameGlob.ANY);
            page.forEach(file -> all.add(file.file()));
            if (page.size() < LIST_PAGE) {
                return all;
            }
            after = page.get(page.size() - 1).file().name();
        }
    }

    @Override
    public List<StoredFile> listPage(StagingArea area, String after, int limit, NameGlob names) {
        return catalog.page(area, after, limit, names).stream().map(CatalogFile::file).toList();
    }

    @Override
    public long usedBytes(StagingArea area) {
        return catalog.usage(area).usedBytes();
    }

    @Override
    public Optional<StoredContent> open(FileKey key, ByteRange range) {
        Optional<CatalogFile> found = catalog.find(key);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        StoredFile file = found.get().file();
        ContentSlice slice = range.within(file.sizeBytes());
        if (slice instanceof ContentSlice.Unsatisfiable || slice.length() == 0) {
            return Optional.of(new StoredContent(file, slice, new ByteArrayInputStream(new byte[0])));
        }
        // a blob is never reused: if it is gone, the file was deleted since the look-up, and it is not there
        Optional<InputStream> bytes = blobs.read(found.get().blobId(), slice.first(), slice.length());
        return bytes.map(content -> new StoredContent(file, slice, content));
    }

    @Override
    public Optional<StoredFile> delete(FileKey key) {
        return removed(catalog.delete(key, Optional.empty()));
    }

    @Override
    public Optional<StoredFile> delete(FileKey key, UUID id) {
        return removed(catalog.delete(key, Optional.of(id)));
    }

    private Optional<StoredFile> removed(Optional<Catalog.Removed> removed) {
        removed.ifPresent(gone -> Blobs.deleteQuietly(blobs, gone.file().blobId()));
        return removed.map(gone -> gone.file().file());
    }

    /** The catalog, for what this store does not cover (the change log). */
    public Catalog catalog() {
        return catalog;
    }
}
