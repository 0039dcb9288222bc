package dev.filestaging.adapter.localfs.catalog;

import dev.filestaging.ports.FileKey;
import dev.filestaging.ports.NameGlob;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.out.StoreHealth;
import dev.filestaging.ports.out.UploadTicket;
import dev.filestaging.ports.out.blob.BlobCheckpoint;
import dev.filestaging.ports.out.catalog.AreaUsage;
import dev.filestaging.ports.out.catalog.Catalog;
import dev.filestaging.ports.out.catalog.CatalogFile;
import dev.filestaging.ports.out.catalog.Change;
import dev.filestaging.ports.out.catalog.FileCommit;
import dev.filestaging.ports.out.catalog.Lease;
import dev.filestaging.ports.out.catalog.LeaseOutcome;
import dev.filestaging.ports.out.catalog.Reservation;
import dev.filestaging.ports.out.catalog.UploadEntry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The catalog of one process, in an SQLite database file (in the data directory, whose lock keeps other processes
 * out): the embedded default, with nothing to install.
 *
 * <p>Each changing method is one IMMEDIATE transaction, and this process runs them one at a time (see
 * {@link SqliteDatabase}): a step's name check, limit check, counters and change-log entry are decided and written
 * together, and a step is durable when it returns. Reads never wait for a write. Leases lapse on this process's clock.
 */
public final class LocalCatalog implements Catalog, AutoCloseable {
    private final SqliteDatabase database;
    private final Clock clock;

    private LocalCatalog(SqliteDatabase database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /**
     * Opens (creating if needed) the catalog in {@code file} and brings its schema up to date. The caller makes sure
     * no other process has it open (the data directory's lock).
     *
     * @throws dev.filestaging.ports.out.StorageException the file cannot be opened or migrated
     */
    public static LocalCatalog open(Path file) {
        return open(file, Clock.systemUTC());
    }

    static LocalCatalog open(Path file, Clock clock) {
        return new LocalCatalog(SqliteDatabase.open(file), clock);
    }

    @Override
    public StoreHealth health() {
        return database.health();
    }

    @Override
    public void close() {
        database.close();
    }

    // ---- files ----

    @Override
    public Optional<CatalogFile> find(FileKey key) {
        return database.read("finding a file", c -> FileTable.find(c, key));
    }

    @Override
    public List<CatalogFile> page(StagingArea area, String after, int limit, NameGlob names) {
        Objects.requireNonNull(names, "names");
        if (limit < 1) {
            throw new IllegalArgumentException("a page holds at least one file, not " + limit);
        }
        return database.read("listing files", c -> FileTable.page(c, area, after, limit, names));
    }

    @Override
    public AreaUsage usage(StagingArea area) {
        return database.read("reading an area's usage",
                c -> AreaTable.find(c, area).map(AreaTable.Row::usage).orElse(AreaUsage.EMPTY));
    }

    @Override
    public FileCommit commit(CatalogFile file, long maxBytes) {
        return database.transaction("committing a file", c -> {
            AreaTable.Row area = AreaTable.findOrCreate(c, file.file().key().area());
            Optional<FileCommit> refused = refusal(c, area, file, 0, true, maxBytes);
            return refused.isPresent() ? refused.get() : record(c, area, file, 0, 0);
        });
    }

    /** Why {@code file} cannot be committed in the area, not counting {@code ownHold}; empty when it can. */
    private static Optional<FileCommit> refusal(Connection c, AreaTable.Row area, CatalogFile file, long ownHold,
                                                boolean uploadsHoldNames, long maxBytes) throws SQLException {
        FileKey key = file.file().key();
        Optional<CatalogFile> holder = FileTable.find(c, key);
        if (holder.isPresent()) {
            return Optional.of(new FileCommit.NameTaken(Optional.of(holder.get().file())));
        }
        if (uploadsHoldNames && UploadTable.holds(c, area.id(), key.name())) {
            return Optional.of(new FileCommit.NameTaken(Optional.empty()));
        }
        AreaUsage usage = area.usage();
        if (!fits(usage.usedBytes() + usage.heldBytes() - ownHold, file.file().sizeBytes(), maxBytes)) {
            return Optional.of(new FileCommit.OverLimit(usage));
        }
        return Optional.empty();
    }

    /** Whether {@code adding} keeps {@code current} within {@code max}, without overflowing. */
    private static boolean fits(long current, long adding, long max) {
        return adding <= max && current <= max - adding;
    }

    /** Records the file in the area, with its counters and its change-log entry. */
    private FileCommit record(Connection c, AreaTable.Row area, CatalogFile file, long releasedHold,
                              long closedUploads) throws SQLException {
        FileTable.insert(c, area.id(), file);
        long sequence = AreaTable.adjust(c, area.id(), file.file().sizeBytes(), 1, -releasedHold, -closedUploads, true);
        return new FileCommit.Committed(file, ChangeTable.append(c, area.id(), sequence, Change.Kind.COMMITTED,
                file.file(), clock.instant()));
    }

    @Override
    public Optional<Removed> delete(FileKey key, Optional<UUID> version) {
        Objects.requireNonNull(version, "version");
        return database.transaction("deleting a file", c -> {
            Optional<AreaTable.Row> area = AreaTable.find(c, key.area());
            if (area.isEmpty()) {
                return Optional.empty();
            }
            Optional<CatalogFile> removed = FileTable.delete(c, area.get().id(), key, version);
            if (removed.isEmpty()) {
                return Optional.empty();
            }
            long sequence = AreaTable.adjust(c, area.get().id(), -removed.get().file().sizeBytes(), -1, 0, 0, true);
            return Optional.of(new Removed(removed.get(), ChangeTable.append(c, area.get().id(), sequence,
                    Change.Kind.DELETED, removed.get().file(), clock.instant())));
        });
    }

    @Override
    public List<Change> changes(StagingArea area, long after, int limit) {
        if (after < 0 || limit < 1) {
            throw new IllegalArgumentException("changes after " + after + ", " + limit + " at most: out of range");
        }
        return database.read("reading the change log", c -> ChangeTable.page(c, area, after, limit));
    }

    @Override
    public Set<String> referenced(Collection<String> blobIds) {
        if (blobIds.size() > MAX_LOOKUP) {
            throw new IllegalArgumentException("at most " + MAX_LOOKUP + " ids at once, got " + blobIds.size());
        }
        if (blobIds.isEmpty()) {
            return Set.of();
        }
        return database.read("looking up blobs", c -> UploadTable.referenced(c, blobIds));
    }

    // ---- uploads ----

    @Override
    public Reservation reserve(UploadTicket ticket, String blobId, BlobCheckpoint start, long maxBytes,
                               long maxOpenUploads) {
        UploadEntry entry = new UploadEntry(ticket, blobId, start);
        return database.transaction("reserving a name for an upload", c -> {
            AreaTable.Row area = AreaTable.findOrCreate(c, ticket.key().area());
            if (FileTable.find(c, ticket.key()).isPresent() || UploadTable.holds(c, area.id(), ticket.key().name())) {
                return new Reservation.NameTaken();
            }
            AreaUsage usage = area.usage();
            if (usage.openUploads() >= maxOpenUploads) {
                return new Reservation.TooManyOpen(usage);
            }
            if (!fits(usage.usedBytes() + usage.heldBytes(), entry.held(), maxBytes)) {
                return new Reservation.OverLimit(usage);
            }
            UploadTable.insert(c, area.id(), entry);
            AreaTable.adjust(c, area.id(), 0, 0, entry.held(), 1, false);
            return new Reservation.Reserved(entry);
        });
    }

    @Override
    public Optional<UploadEntry> upload(String uploadId) {
        return database.read("reading an upload",
                c -> UploadTable.find(c, uploadId, "open").map(UploadTable.Row::entry));
    }

    @Override
    public boolean isReserved(FileKey key) {
        return database.read("checking a name's reservation", c -> UploadTable.isReserved(c, key));
    }

    @Override
    public long openUploads() {
        return database.read("counting open uploads", AreaTable::openUploads);
    }

    @Override
    public LeaseOutcome lease(String uploadId, Duration duration) {
        return database.transaction("leasing an upload", c -> {
            Optional<UploadTable.Row> upload = UploadTable.find(c, uploadId, "open");
            if (upload.isEmpty()) {
                return new LeaseOutcome.Gone();
            }
            long now = clock.millis();
            Long until = upload.get().leaseUntil();
            if (until != null && until > now) {
                return new LeaseOutcome.Busy();
            }
            long token = UploadTable.grant(c, uploadId, upload.get().leaseToken(), now + duration.toMillis());
            return new LeaseOutcome.Leased(new Lease(uploadId, token), upload.get().entry());
        });
    }

    @Override
    public boolean renew(Lease lease, Duration duration) {
        return database.transaction("renewing a lease",
                c -> UploadTable.renew(c, lease.uploadId(), lease.token(), clock.millis() + duration.toMillis()));
    }

    @Override
    public void release(Lease lease) {
        try {
            database.transaction("releasing a lease", c -> {
                UploadTable.release(c, lease.uploadId(), lease.token());
                return null;
            });
        } catch (RuntimeException e) {
            // never throws: a lease that cannot be released lapses at its term
        }
    }

    /** A step on an upload under its lease. */
    @FunctionalInterface
    private interface LeasedStep<T> {
        T run(Connection c, AreaTable.Row area, UploadTable.Row upload) throws SQLException;
    }

    /** Runs {@code step} when {@code token} (null: any) is still the upload's lease; else answers {@code lost}. */
    private <T> T underLease(String what, String uploadId, Long token, T lost, LeasedStep<T> step) {
        return database.transaction(what, c -> {
            Optional<UploadTable.Row> upload = UploadTable.find(c, uploadId, "open");
            if (upload.isEmpty() || (token != null && upload.get().leaseToken() != token)) {
                return lost;
            }
            return step.run(c, AreaTable.find(c, upload.get().areaId()), upload.get());
        });
    }

    @Override
    public boolean advance(Lease lease, BlobCheckpoint checkpoint, long length) {
        Objects.requireNonNull(checkpoint, "checkpoint");
        return underLease("recording an upload's progress", lease.uploadId(), lease.token(), false,
                (c, area, upload) -> {
                    UploadEntry before = upload.entry();
                    UploadTicket ticket = before.ticket();
                    if (length != UploadTicket.DEFERRED && ticket.lengthDeferred()) {
                        ticket = ticket.withLength(length);
                    }
                    UploadEntry after = new UploadEntry(ticket, before.blobId(), checkpoint);
                    UploadTable.advance(c, before.id(), checkpoint, ticket.length());
                    AreaTable.adjust(c, area.id(), 0, 0, after.held() - before.held(), 0, false);
                    return true;
                });
    }

    @Override
    public FileCommit commitUpload(Lease lease, CatalogFile file, long maxBytes) {
        return underLease("committing an upload", lease.uploadId(), lease.token(), new FileCommit.LeaseLost(),
                (c, area, upload) -> {
                    UploadTicket ticket = upload.entry().ticket();
                    if (!ticket.key().equals(file.file().key())) {
                        throw new IllegalArgumentException("upload " + ticket.id() + " is for " + ticket.key()
                                + ", not " + file.file().key());
                    }
                    long held = upload.entry().held();
                    Optional<FileCommit> refused = refusal(c, area, file, held, false, maxBytes);
                    if (refused.isPresent()) {
                        return refused.get();
                    }
                    UploadTable.markStaged(c, ticket.id(), file.file().sizeBytes());
                    return record(c, area, file, held, 1);
                });
    }

    @Override
    public Optional<UploadTicket> staged(String uploadId) {
        return database.read("reading a staged upload",
                c -> UploadTable.find(c, uploadId, "staged").map(row -> row.entry().ticket()));
    }

    @Override
    public Optional<UploadEntry> terminate(Lease lease) {
        return underLease("terminating an upload", lease.uploadId(), lease.token(), Optional.empty(),
                (c, area, upload) -> Optional.of(end(c, area, upload)));
    }

    /** Removes the open upload and its hold from its area. */
    private static UploadEntry end(Connection c, AreaTable.Row area, UploadTable.Row upload) throws SQLException {
        UploadTable.delete(c, upload.entry().id());
        AreaTable.adjust(c, area.id(), 0, 0, -upload.entry().held(), -1, false);
        return upload.entry();
    }

    @Override
    public List<UploadEntry> expire(Instant now, int limit) {
        return database.transaction("ending expired uploads", c -> {
            List<UploadEntry> ended = new ArrayList<>();
            for (String id : UploadTable.expired(c, "open", now, limit)) {
                UploadTable.Row upload = UploadTable.find(c, id, "open").orElseThrow();
                ended.add(end(c, AreaTable.find(c, upload.areaId()), upload));
            }
            for (String id : UploadTable.expired(c, "staged", now, limit)) {
                UploadTable.delete(c, id);
            }
            return ended;
        });
    }
}
