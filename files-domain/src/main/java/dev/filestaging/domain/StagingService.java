package dev.filestaging.domain;

import dev.filestaging.domain.formats.FormatDetector;
import dev.filestaging.domain.quota.QuotaLedger;
import dev.filestaging.domain.quota.Quotas;
import dev.filestaging.domain.resumable.ResumableUploadService;
import dev.filestaging.domain.storage.DirectReads;
import dev.filestaging.domain.storage.PendingFile;
import dev.filestaging.domain.storage.StagingStore;
import dev.filestaging.domain.upload.AccessPolicy;
import dev.filestaging.domain.upload.FileNameRules;
import dev.filestaging.domain.upload.UploadSession;
import dev.filestaging.ports.ByteRange;
import dev.filestaging.ports.FileKey;
import dev.filestaging.ports.Principal;
import dev.filestaging.ports.SpaceUsage;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.StoredContent;
import dev.filestaging.ports.StoredFile;
import dev.filestaging.ports.in.BeginOutcome;
import dev.filestaging.ports.in.DeleteFile;
import dev.filestaging.ports.in.DeleteOutcome;
import dev.filestaging.ports.in.FileListing;
import dev.filestaging.ports.in.GetFile;
import dev.filestaging.ports.in.ListFiles;
import dev.filestaging.ports.in.ListQuery;
import dev.filestaging.ports.in.ReadFile;
import dev.filestaging.ports.in.UploadFile;
import dev.filestaging.ports.in.UploadOutcome;
import dev.filestaging.ports.in.UploadRequest;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/** The staging area's use cases over one {@link StagingStore}. Thread-safe; create one per store. */
public final class StagingService implements UploadFile, ListFiles, GetFile, DeleteFile, ReadFile {

    static final java.time.Duration DIRECT_READ_LIFETIME = java.time.Duration.ofMinutes(5);

    private final StagingStore store;
    private final Quotas quotas;
    private final QuotaLedger ledger;
    private final Clock clock;
    private final Supplier<UUID> ids;
    private final FileNameRules names = new FileNameRules();
    private final AccessPolicy access = new AccessPolicy();
    private final FormatDetector detector = new FormatDetector();
    private final Executor contentWriters;
    private volatile dev.filestaging.domain.upload.FileLifetimes lifetimes =
            dev.filestaging.domain.upload.FileLifetimes.KEPT_UNTIL_DELETED;

    /**
     * @param contentWriters runs the two helpers of each upload in progress (hashing, writing), which block while they
     *                       wait for data: an unbounded pool of threads that may block, such as a cached pool
     */
    public StagingService(StagingStore store, Quotas quotas, Clock clock, Supplier<UUID> ids, Executor contentWriters) {
        this.store = store;
        this.quotas = quotas;
        this.ledger = new QuotaLedger(quotas, store, () -> TimeUnit.MILLISECONDS.toNanos(clock.millis()));
        this.clock = clock;
        this.ids = ids;
        this.contentWriters = contentWriters;
    }

    /** With the system clock, random UUIDs and these content writer threads. */
    public static StagingService withDefaults(StagingStore store, Quotas quotas, Executor contentWriters) {
        return new StagingService(store, quotas, Clock.systemUTC(), UUID::randomUUID, contentWriters);
    }

    /** With the system clock, random UUIDs and a pool of daemon content writer threads of its own. */
    public static StagingService withDefaults(StagingStore store, Quotas quotas) {
        return withDefaults(store, quotas, contentWriterPool());
    }

    /** A cached pool of daemon threads named {@code content-writer}, as uploads need; the caller shuts it down. */
    public static ExecutorService contentWriterPool() {
        return Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "content-writer");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Files are kept as {@code lifetimes} says (by default: until deleted, and clients may ask for up to a year). */
    public StagingService keepingFiles(dev.filestaging.domain.upload.FileLifetimes lifetimes) {
        this.lifetimes = java.util.Objects.requireNonNull(lifetimes, "lifetimes");
        return this;
    }

    /** Readiness from the store's health, cached for a couple of seconds (see {@link ReadinessProbe}). */
    public dev.filestaging.ports.in.CheckReadiness readiness() {
        return new ReadinessProbe(store, clock);
    }

    /**
     * Resumable uploads over the store's.
     *
     * @param expiry   how long an upload may stay idle before it is ended
     * @param maxBytes the largest upload accepted
     */
    public ResumableUploadService resumableUploads(java.time.Duration expiry, long maxBytes) {
        return resumableUploads(expiry, maxBytes, DEFAULT_MAX_OPEN_UPLOADS);
    }

    /**
     * Resumable uploads, at most {@code maxOpenPerArea} open at once in one staging area (so that one key cannot
     * hold thousands of names and directories for a day).
     */
    public ResumableUploadService resumableUploads(java.time.Duration expiry, long maxBytes, int maxOpenPerArea) {
        return new ResumableUploadService(store.uploads(), ledger, detector, clock, ids,
                contentWriters, expiry, maxBytes, maxOpenPerArea, lifetimes);
    }

    /** How many resumable uploads one area may have open, unless configured otherwise. */
    public static final int DEFAULT_MAX_OPEN_UPLOADS = 1_000;

    @Override
    public BeginOutcome begin(UploadRequest request) {
        access.requireManaging(request.principal(), request.area());
        return names.keyOrRefusal(request.area(), request.fileName(), key -> begin(request, key),
                BeginOutcome.Refused::new);
    }

    private BeginOutcome begin(UploadRequest asked, FileKey key) {
        Optional<String> badLifetime = lifetimes.refusal(asked.keepFor());
        if (badLifetime.isPresent()) {
            return new BeginOutcome.Refused(new UploadOutcome.InvalidLifetime(badLifetime.get()));
        }
        UploadRequest request = asked.withKeepFor(lifetimes.resolve(asked.keepFor()));
        // Cheap early answer before reading the body; the commit stays the real guard against races.
        if (store.find(key).isPresent() || store.uploads().isReserved(key)) {
            return new BeginOutcome.Refused(new UploadOutcome.NameTaken(key.name()));
        }
        QuotaLedger.Account account = ledger.account(request.area());
        PendingFile pending = store.create(key);
        return new BeginOutcome.Begun(
                new UploadSession(request, key, pending, account, detector, clock, ids, contentWriters));
    }

    @Override
    public FileListing list(Principal principal, StagingArea area) {
        access.requireReading(principal, area);
        List<StoredFile> files = store.list(area);
        long used = files.stream().mapToLong(StoredFile::sizeBytes).sum();
        return new FileListing(files, new SpaceUsage(quotas.allocatedBytes(area.organization()),
                used + heldByUploads(area)));
    }

    @Override
    public FileListing list(Principal principal, StagingArea area, ListQuery query) {
        access.requireReading(principal, area);
        // one more than asked tells whether another page follows
        List<StoredFile> files = store.listPage(area, query.after(), query.limit() + 1, query.names());
        boolean more = files.size() > query.limit();
        List<StoredFile> page = more ? files.subList(0, query.limit()) : files;
        return new FileListing(page, new SpaceUsage(quotas.allocatedBytes(area.organization()),
                store.usedBytes(area) + heldByUploads(area)),
                more ? Optional.of(page.get(page.size() - 1).name()) : Optional.empty());
    }

    /** The space open resumable uploads hold: not left for anything else, so the listing counts it as used. */
    private long heldByUploads(StagingArea area) {
        return store.uploads().heldBytes(area);
    }

    @Override
    public Optional<StoredFile> get(Principal principal, StagingArea area, String name) {
        access.requireReading(principal, area);
        return keyOf(area, name).flatMap(store::find);
    }

    @Override
    public DeleteOutcome delete(Principal principal, StagingArea area, String name) {
        access.requireManaging(principal, area);
        return settle(area, name, keyOf(area, name).flatMap(store::delete));
    }

    @Override
    public DeleteOutcome delete(Principal principal, StagingArea area, String name, UUID id) {
        access.requireManaging(principal, area);
        return settle(area, name, keyOf(area, name).flatMap(key -> store.delete(key, id)));
    }

    private DeleteOutcome settle(StagingArea area, String name, Optional<StoredFile> deleted) {
        if (deleted.isEmpty()) {
            return new DeleteOutcome.NotFound(name);
        }
        ledger.account(area).freed(deleted.get().sizeBytes());
        return new DeleteOutcome.Deleted(deleted.get());
    }

    @Override
    public Optional<StoredContent> open(Principal principal, StagingArea area, String name, ByteRange range) {
        access.requireReading(principal, area);
        return keyOf(area, name).flatMap(key -> store.open(key, range));
    }

    /**
     * The URL is valid for {@link #DIRECT_READ_LIFETIME}: long enough to follow a redirect, short enough that a URL
     * that leaks is soon useless. A read that starts in time runs to its end.
     */
    @Override
    public Optional<DirectRead> direct(Principal principal, StagingArea area, String name,
                                       Function<StoredFile, Map<String, String>> responseHeaders) {
        access.requireReading(principal, area);
        Optional<DirectReads> direct = store.directReads();
        if (direct.isEmpty()) {
            return Optional.empty();
        }
        return keyOf(area, name).flatMap(key -> direct.get().current(key, DIRECT_READ_LIFETIME, responseHeaders))
                .map(located -> new DirectRead(located.file(), located.url()));
    }

    /** A name that breaks the rules cannot have been stored, so it is simply not found. */
    private Optional<FileKey> keyOf(StagingArea area, String name) {
        return names.keyIn(area, name);
    }
}
