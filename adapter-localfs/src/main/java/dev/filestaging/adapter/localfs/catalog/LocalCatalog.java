package dev.filestaging.adapter.localfs.catalog;

import dev.filestaging.ports.FileKey;
import dev.filestaging.ports.NameGlob;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.events.Change;
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
 * together, and a step is durable when it returns. Reads never wait for a write.
 *
 * <p>Leases are in memory, on this process's clock: they only ever order this process's writers, so writing them to
 * disk (a sync each) would buy nothing. Grants and the steps that check them run under the same lock, so a grant
 * cannot slip between a step's check and its write.
 */
public final class LocalCatalog implements Catalog, AutoCloseable {
    private final SqliteDatabase database;
    private final Clock clock;
    /** Each upload's latest lease: its token and when it lapses (epoch milliseconds); none when released. */
    private final java.util.Map<String, Held> leases = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong tokens = new java.util.concurrent.atomic.AtomicLong();

    private record Held(long token, long until) {}

    private final LocalWebhookStore webhooks;

    private LocalCatalog(SqliteDatabase database, Clock clock) {
        this.database = database;
        this.clock = clock;
        this.webhooks = LocalWebhookStore.opened(database, clock);
    }

    /**
     * Opens (creating if needed) the catalog in {@code file} and brings its schema up to date. The caller makes sure
     * no other process has it open (the data directory's lock). Leases are this process's alone, so they are kept
     * in memory: an upload a stopped process was writing can be written at once by the next.
     *
     * @throws dev.filestaging.ports.out.StorageException the file cannot be opened or migrated
     */
    public static LocalCatalog open(Path file) {
        return open(file, Clock.systemUTC());
    }

    static LocalCatalog open(Path file, Clock clock) {
        SqliteDatabase database = SqliteDatabase.open(file);
        try {
            return new LocalCatalog(database, clock);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    /**
     * Every open upload's blob and durable offset: for the start-up of the one process using the catalog, which cuts
     * what a stopped process wrote past them.
     */
    public java.util.Map<String, Long> openUploadCheckpoints() {
        return database.read("listing open uploads", c -> {
            java.util.Map<String, Long> checkpoints = new java.util.HashMap<>();
            try (java.sql.Statement select = c.createStatement();
                 java.sql.ResultSet rows = select.executeQuery(
                         "SELECT blob_id, checkpoint_offset FROM uploads WHERE state = 'open'")) {
                while (rows.next()) {
                    checkpoints.put(rows.getString(1), rows.getLong(2));
                }
            }
            return checkpoints;
        });
    }

    /**
     * The webhooks kept with this catalog, in the same database: the endpoints, how far each got in each area's
     * change log, and their delivery logs. Closed with the catalog.
     */
    public dev.filestaging.ports.out.events.WebhookStore webhooks() {
        return webhooks;
    }

    /** Whether opening it created it: a new, empty catalog. */
    public boolean created() {
        return database.created();
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
        return new FileCommit.Committed(file, ChangeTable.append(c, area.id(),
                Change.ofFile(sequence, Change.Kind.COMMITTED, file.file(), clock.instant())));
    }

    @Override
    public Optional<Removed> delete(FileKey key, Optional<UUID> version) {
        Objects.requireNonNull(version, "version");
        return database.transaction("deleting a file", c -> {
            Optional<AreaTable.Row> area = AreaTable.find(c, key.area());
            if (area.isEmpty()) {
                return Optional.empty();
            }
            return remove(c, area.get().id(), key, version, Change.Kind.DELETED);
        });
    }

    /** Removes the file and its size from its area, with a change-log entry of {@code kind}. */
    private Optional<Removed> remove(Connection c, long areaId, FileKey key, Optional<UUID> version, Change.Kind kind)
            throws SQLException {
        Optional<CatalogFile> removed = FileTable.delete(c, areaId, key, version);
        if (removed.isEmpty()) {
            return Optional.empty();
        }
        long sequence = AreaTable.adjust(c, areaId, -removed.get().file().sizeBytes(), -1, 0, 0, true);
        return Optional.of(new Removed(removed.get(), ChangeTable.append(c, areaId,
                Change.ofFile(sequence, kind, removed.get().file(), clock.instant()))));
    }

    @Override
    public List<Removed> expireFiles(Instant now, int limit) {
        return database.transaction("ending expired files", c -> {
            List<Removed> removed = new ArrayList<>();
            for (FileKey key : FileTable.expired(c, now, limit)) {
                long areaId = AreaTable.find(c, key.area()).orElseThrow().id();
                remove(c, areaId, key, Optional.empty(), Change.Kind.EXPIRED).ifPresent(removed::add);
            }
            return removed;
        });
    }

    @Override
    public ChangeLog changes(StagingArea area, long after, int limit) {
        if (after < 0 || limit < 1) {
            throw new IllegalArgumentException("changes after " + after + ", " + limit + " at most: out of range");
        }
        // one read transaction: the entries and the last number agree
        return database.read("reading the change log", c -> new ChangeLog(ChangeTable.page(c, area, after, limit),
                AreaTable.lastSequence(c, area)));
    }

    @Override
    public List<AreaLog> logs(dev.filestaging.ports.OrganizationId organization) {
        return database.read("listing change logs", c -> AreaTable.logs(c, organization, MAX_LOOKUP));
    }

    @Override
    public int trimChanges(Instant before, int limit) {
        return database.transaction("trimming change logs", c -> ChangeTable.trim(c, before, limit));
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
        return database.exclusively(() -> {
            Optional<UploadEntry> upload = upload(uploadId);
            if (upload.isEmpty()) {
                return new LeaseOutcome.Gone();
            }
            long now = clock.millis();
            Held held = leases.get(uploadId);
            if (held != null && held.until() > now) {
                return new LeaseOutcome.Busy();
            }
            long token = tokens.incrementAndGet();
            leases.put(uploadId, new Held(token, now + duration.toMillis()));
            return new LeaseOutcome.Leased(new Lease(uploadId, token), upload.get());
        });
    }

    @Override
    public boolean renew(Lease lease, Duration duration) {
        long until = clock.millis() + duration.toMillis();
        return database.exclusively(() -> {
            Held after = leases.computeIfPresent(lease.uploadId(),
                    (id, held) -> held.token() == lease.token() ? new Held(held.token(), until) : held);
            return after != null && after.token() == lease.token();
        });
    }

    @Override
    public void release(Lease lease) {
        leases.computeIfPresent(lease.uploadId(), (id, held) -> held.token() == lease.token()
                ? new Held(held.token(), Long.MIN_VALUE) : held);
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
            Held held = leases.get(uploadId);
            if (upload.isEmpty() || (token != null && (held == null || held.token() != token))) {
                return lost;
            }
            return step.run(c, AreaTable.find(c, upload.get().areaId()), upload.get());
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
                    UploadTable.advance(c, before.id(), checkpoint, ticket.length(), expires);
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
                    leases.remove(ticket.id());
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
    private UploadEntry end(Connection c, AreaTable.Row area, UploadTable.Row upload) throws SQLException {
        leases.remove(upload.entry().id());
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
                UploadEntry entry = end(c, AreaTable.find(c, upload.areaId()), upload);
                long sequence = AreaTable.adjust(c, upload.areaId(), 0, 0, 0, 0, true);
                ChangeTable.append(c, upload.areaId(),
                        Change.ofUpload(sequence, entry.expired(), clock.instant()));
                ended.add(entry);
            }
            for (String id : UploadTable.expired(c, "staged", now, limit)) {
                UploadTable.delete(c, id);
            }
            return ended;
        });
    }
}
