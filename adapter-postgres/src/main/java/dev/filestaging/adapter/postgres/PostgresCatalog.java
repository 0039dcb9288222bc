package dev.filestaging.adapter.postgres;

import dev.filestaging.ports.FileKey;
import dev.filestaging.ports.NameGlob;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.events.Change;
import dev.filestaging.ports.out.SmallRecordStore;
import dev.filestaging.ports.out.StoreHealth;
import dev.filestaging.ports.out.UploadTicket;
import dev.filestaging.ports.out.blob.BlobCheckpoint;
import dev.filestaging.ports.out.catalog.AreaUsage;
import dev.filestaging.ports.out.catalog.Catalog;
import dev.filestaging.ports.out.catalog.CatalogFile;
import dev.filestaging.ports.out.catalog.FileCommit;
import dev.filestaging.ports.out.catalog.Lease;
import dev.filestaging.ports.out.catalog.LeaseOutcome;
import dev.filestaging.ports.out.catalog.Reservation;
import dev.filestaging.ports.out.catalog.UploadEntry;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The catalog and the small records in PostgreSQL, shared by every process that opens the same database.
 *
 * <p>Each changing method is one transaction that locks its area's row before anything else (see
 * {@code V1__catalog.sql}): the name check, the limit check, the counters and the change-log entry of one step are
 * then decided and written together, and steps on one area are serialised across processes. Reads are single
 * statements. Leases are fencing tokens checked on every change; when they lapse is decided by the database's clock.
 */
public final class PostgresCatalog implements Catalog, SmallRecordStore, AutoCloseable {
    private final Database database;
    private final PostgresWebhookStore webhooks;

    private PostgresCatalog(Database database) {
        this.database = database;
        this.webhooks = new PostgresWebhookStore(database);
    }

    /**
     * Connects and brings the schema up to date.
     *
     * @throws dev.filestaging.ports.out.StorageException the database cannot be reached or migrated
     */
    public static PostgresCatalog open(PostgresSettings settings) {
        Database database = Database.connect(settings);
        try {
            Schema.migrate(database.dataSource());
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
        return new PostgresCatalog(database);
    }

    public static PostgresCatalog open(String jdbcUrl, String user, String password) {
        return open(PostgresSettings.of(jdbcUrl, user, password));
    }

    /**
     * The webhooks kept with this catalog, in the same database and its pool: the endpoints, how far each got in each
     * area's change log, and their delivery logs. Closed with the catalog.
     */
    public dev.filestaging.ports.out.events.WebhookStore webhooks() {
        return webhooks;
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
        return database.read("finding a file", c -> FileRows.find(c, key));
    }

    @Override
    public List<CatalogFile> page(StagingArea area, String after, int limit, NameGlob names) {
        Objects.requireNonNull(names, "names");
        if (limit < 1) {
            throw new IllegalArgumentException("a page holds at least one file, not " + limit);
        }
        return database.read("listing files", c -> FileRows.page(c, area, after, limit, names));
    }

    @Override
    public AreaUsage usage(StagingArea area) {
        return database.read("reading an area's usage", c -> AreaRows.usage(c, area));
    }

    @Override
    public FileCommit commit(CatalogFile file, long maxBytes) {
        return database.transaction("committing a file", c -> {
            AreaRows.Locked area = AreaRows.lockOrCreate(c, file.file().key().area());
            Optional<FileCommit> refused = refusal(c, area, file, 0, true, maxBytes);
            return refused.isPresent() ? refused.get() : record(c, area, file, 0, 0);
        });
    }

    /** Why {@code file} cannot be committed in the locked area, not counting {@code ownHold}; empty when it can. */
    private static Optional<FileCommit> refusal(Connection c, AreaRows.Locked area, CatalogFile file, long ownHold,
                                                boolean uploadsHoldNames, long maxBytes) throws SQLException {
        FileKey key = file.file().key();
        Optional<CatalogFile> holder = FileRows.find(c, area.id(), key.area(), key.name());
        if (holder.isPresent()) {
            return Optional.of(new FileCommit.NameTaken(Optional.of(holder.get().file())));
        }
        if (uploadsHoldNames && UploadRows.holds(c, area.id(), key.name())) {
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

    /** Records the file in the locked area, with its counters and its change-log entry. */
    private static FileCommit record(Connection c, AreaRows.Locked area, CatalogFile file, long releasedHold,
                                     long closedUploads) throws SQLException {
        FileRows.insert(c, area.id(), file);
        long sequence = AreaRows.adjust(c, area.id(), file.file().sizeBytes(), 1, -releasedHold, -closedUploads, true);
        return new FileCommit.Committed(file, ChangeRows.appendFile(c, area.id(), sequence, Change.Kind.COMMITTED,
                file.file()));
    }

    @Override
    public Optional<Removed> delete(FileKey key, Optional<UUID> version) {
        Objects.requireNonNull(version, "version");
        return database.transaction("deleting a file", c -> {
            Optional<AreaRows.Locked> area = AreaRows.lock(c, key.area());
            if (area.isEmpty()) {
                return Optional.empty();
            }
            return remove(c, area.get().id(), key, version, Change.Kind.DELETED);
        });
    }

    /** Removes the file and its size from its locked area, with a change-log entry of {@code kind}. */
    private static Optional<Removed> remove(Connection c, long areaId, FileKey key, Optional<UUID> version,
                                            Change.Kind kind) throws SQLException {
        Optional<CatalogFile> removed = FileRows.delete(c, areaId, key, version);
        if (removed.isEmpty()) {
            return Optional.empty();
        }
        long sequence = AreaRows.adjust(c, areaId, -removed.get().file().sizeBytes(), -1, 0, 0, true);
        return Optional.of(new Removed(removed.get(),
                ChangeRows.appendFile(c, areaId, sequence, kind, removed.get().file())));
    }

    @Override
    public List<Removed> expireFiles(Instant now, int limit) {
        List<FileKey> due = database.read("finding expired files", c -> FileRows.expired(c, now, limit));
        List<Removed> removed = new ArrayList<>();
        for (FileKey key : due) {
            // each its own step under its area's lock; one deleted meanwhile (or by another process) is skipped,
            // and one whose name now holds another version is checked again
            database.transaction("ending an expired file", c -> {
                Optional<AreaRows.Locked> area = AreaRows.lock(c, key.area());
                Optional<CatalogFile> file = area.isEmpty() ? Optional.empty()
                        : FileRows.find(c, area.get().id(), key.area(), key.name());
                if (file.isEmpty() || !file.get().file().expiredAt(now)) {
                    return Optional.<Removed>empty();
                }
                return remove(c, area.get().id(), key, Optional.of(file.get().file().id()), Change.Kind.EXPIRED);
            }).ifPresent(removed::add);
        }
        return removed;
    }

    @Override
    public ChangeLog changes(StagingArea area, long after, int limit) {
        if (after < 0 || limit < 1) {
            throw new IllegalArgumentException("changes after " + after + ", " + limit + " at most: out of range");
        }
        // the last number first: entries committed between the two reads are then at most more than it says
        return database.read("reading the change log", c -> {
            long latest = AreaRows.lastSequence(c, area);
            List<Change> entries = ChangeRows.page(c, area, after, limit);
            long last = entries.isEmpty() ? latest : Math.max(latest, entries.get(entries.size() - 1).sequence());
            return new ChangeLog(entries, last);
        });
    }

    @Override
    public List<AreaLog> logs(dev.filestaging.ports.OrganizationId organization) {
        return database.read("listing change logs", c -> AreaRows.logs(c, organization, MAX_LOOKUP));
    }

    @Override
    public int trimChanges(Instant before, int limit) {
        return database.transaction("trimming change logs", c -> ChangeRows.trim(c, before, limit));
    }

    // ---- uploads ----

    @Override
    public Reservation reserve(UploadTicket ticket, String blobId, BlobCheckpoint start, long maxBytes,
                               long maxOpenUploads) {
        UploadEntry entry = new UploadEntry(ticket, blobId, start);
        return database.transaction("reserving a name for an upload", c -> {
            AreaRows.Locked area = AreaRows.lockOrCreate(c, ticket.key().area());
            String name = ticket.key().name();
            if (FileRows.find(c, area.id(), ticket.key().area(), name).isPresent()
                    || UploadRows.holds(c, area.id(), name)) {
                return new Reservation.NameTaken();
            }
            AreaUsage usage = area.usage();
            if (usage.openUploads() >= maxOpenUploads) {
                return new Reservation.TooManyOpen(usage);
            }
            if (!fits(usage.usedBytes() + usage.heldBytes(), entry.held(), maxBytes)) {
                return new Reservation.OverLimit(usage);
            }
            UploadRows.insert(c, area.id(), entry);
            AreaRows.adjust(c, area.id(), 0, 0, entry.held(), 1, false);
            return new Reservation.Reserved(entry);
        });
    }

    @Override
    public Optional<UploadEntry> upload(String uploadId) {
        return database.read("reading an upload", c -> UploadRows.find(c, uploadId, "open").map(UploadRows.Row::entry));
    }

    @Override
    public boolean isReserved(FileKey key) {
        return database.read("checking a name's reservation", c -> UploadRows.isReserved(c, key));
    }

    @Override
    public java.util.Set<String> referenced(java.util.Collection<String> blobIds) {
        if (blobIds.size() > MAX_LOOKUP) {
            throw new IllegalArgumentException("at most " + MAX_LOOKUP + " ids at once, got " + blobIds.size());
        }
        if (blobIds.isEmpty()) {
            return java.util.Set.of();
        }
        return database.read("looking up blobs", c -> BlobReferences.among(c, blobIds));
    }

    @Override
    public long openUploads() {
        return database.read("counting open uploads", AreaRows::openUploads);
    }

    @Override
    public LeaseOutcome lease(String uploadId, Duration duration) {
        return database.read("leasing an upload", c -> {
            Optional<UploadRows.Row> granted = UploadRows.grant(c, uploadId, duration);
            if (granted.isPresent()) {
                return new LeaseOutcome.Leased(new Lease(uploadId, granted.get().leaseToken()),
                        granted.get().entry());
            }
            return UploadRows.areaOf(c, uploadId).isPresent() ? new LeaseOutcome.Busy() : new LeaseOutcome.Gone();
        });
    }

    @Override
    public boolean renew(Lease lease, Duration duration) {
        return database.read("renewing a lease", c -> UploadRows.renew(c, lease.uploadId(), lease.token(), duration));
    }

    @Override
    public void release(Lease lease) {
        try {
            database.read("releasing a lease", c -> {
                UploadRows.release(c, lease.uploadId(), lease.token());
                return null;
            });
        } catch (RuntimeException e) {
            // never throws: a lease that cannot be released lapses at its term
        }
    }

    /** A step on an upload under its lease: the area's row and the upload's row, locked in that order. */
    @FunctionalInterface
    private interface LeasedStep<T> {
        T run(Connection c, AreaRows.Locked area, UploadRows.Row upload) throws SQLException;
    }

    /** Runs {@code step} when {@code token} (null: any) is still the upload's lease; else answers {@code lost}. */
    private <T> T underLease(String what, String uploadId, Long token, T lost, LeasedStep<T> step) {
        return database.transaction(what, c -> {
            Optional<Long> areaId = UploadRows.areaOf(c, uploadId);
            if (areaId.isEmpty()) {
                return lost;
            }
            AreaRows.Locked area = AreaRows.lock(c, areaId.get());
            Optional<UploadRows.Row> upload = UploadRows.lockOpen(c, uploadId, token);
            return upload.isPresent() ? step.run(c, area, upload.get()) : lost;
        });
    }

    @Override
    public boolean advance(Lease lease, BlobCheckpoint checkpoint, long length, Instant expires) {
        Objects.requireNonNull(checkpoint, "checkpoint");
        return underLease("recording an upload's progress", lease.uploadId(), lease.token(), false,
                (c, area, upload) -> {
                    UploadEntry before = upload.entry();
                    UploadTicket ticket = before.ticket();
                    if (length != UploadTicket.DEFERRED && ticket.lengthDeferred()) {
                        ticket = ticket.withLength(length);
                    }
                    UploadEntry after = new UploadEntry(ticket, before.blobId(), checkpoint);
                    UploadRows.advance(c, before.id(), checkpoint, ticket.length(), expires);
                    AreaRows.adjust(c, area.id(), 0, 0, after.held() - before.held(), 0, false);
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
                    UploadRows.markStaged(c, ticket.id(), file.file().sizeBytes());
                    return record(c, area, file, held, 1);
                });
    }

    @Override
    public Optional<UploadTicket> staged(String uploadId) {
        return database.read("reading a staged upload",
                c -> UploadRows.find(c, uploadId, "staged").map(row -> row.entry().ticket()));
    }

    @Override
    public Optional<UploadEntry> terminate(Lease lease) {
        return underLease("terminating an upload", lease.uploadId(), lease.token(), Optional.empty(),
                (c, area, upload) -> Optional.of(end(c, area, upload)));
    }

    /** Removes the open upload and its hold from the locked area. */
    private static UploadEntry end(Connection c, AreaRows.Locked area, UploadRows.Row upload) throws SQLException {
        UploadRows.delete(c, upload.entry().id());
        AreaRows.adjust(c, area.id(), 0, 0, -upload.entry().held(), -1, false);
        return upload.entry();
    }

    @Override
    public List<UploadEntry> expire(Instant now, int limit) {
        List<String> candidates = database.read("finding expired uploads",
                c -> UploadRows.expired(c, "open", now, limit));
        List<UploadEntry> ended = new ArrayList<>();
        for (String id : candidates) {
            // each its own step; one another process ended meanwhile is skipped, and one whose writer moved its
            // expiry since it was found is checked again under the lock
            underLease("ending an expired upload", id, null, Optional.<UploadEntry>empty(), (c, area, upload) -> {
                if (!upload.entry().ticket().expires().isBefore(now)) {
                    return Optional.<UploadEntry>empty();
                }
                UploadEntry entry = end(c, area, upload);
                long sequence = AreaRows.adjust(c, area.id(), 0, 0, 0, 0, true);
                ChangeRows.appendUpload(c, area.id(), sequence, entry.expired());
                return Optional.of(entry);
            }).ifPresent(ended::add);
        }
        database.transaction("forgetting expired staged uploads", c -> {
            for (String id : UploadRows.expired(c, "staged", now, limit)) {
                UploadRows.delete(c, id);
            }
            return null;
        });
        return ended;
    }

    // ---- small records ----

    @Override
    public Optional<String> read(String namespace, String key) {
        SmallRecordStore.checkedName(namespace);
        SmallRecordStore.checkedName(key);
        return database.read("reading a record", c -> SmallRecordRows.read(c, namespace, key));
    }

    @Override
    public void write(String namespace, String key, String text) {
        SmallRecordStore.checkedName(namespace);
        SmallRecordStore.checkedName(key);
        Objects.requireNonNull(text, "text");
        database.read("writing a record", c -> {
            SmallRecordRows.write(c, namespace, key, text);
            return null;
        });
    }

    @Override
    public Map<String, String> readAll(String namespace) {
        SmallRecordStore.checkedName(namespace);
        return database.read("reading records", c -> SmallRecordRows.readAll(c, namespace));
    }
}
