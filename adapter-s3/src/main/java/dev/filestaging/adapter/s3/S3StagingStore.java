package dev.filestaging.adapter.s3;

import dev.filestaging.ports.ByteRange;
import dev.filestaging.ports.ContentSlice;
import dev.filestaging.ports.FileKey;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.StoredContent;
import dev.filestaging.ports.StoredFile;
import dev.filestaging.ports.out.PendingFile;
import dev.filestaging.ports.out.SmallRecordStore;
import dev.filestaging.ports.out.StagingStore;
import dev.filestaging.ports.out.StorageException;
import dev.filestaging.ports.out.StoreCapabilities;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Staged files in an S3 bucket, shared safely by any number of processes (see the package documentation for the
 * layout). Everything a process knows it reads from the bucket; the only state it keeps is a cache of immutable name
 * records, so every instance sees every other instance's uploads and deletes at once.
 */
public final class S3StagingStore implements StagingStore, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(S3StagingStore.class.getName());
    /** Parallel S3 calls: reads of name records not yet cached when listing, copies of a resumable upload's pieces. */
    private static final int RECORD_FETCHERS = 16;
    /** Reading content for ingestion may take long; the socket timeout still catches a stalled store. */
    private static final Duration READ_CALL_TIMEOUT = Duration.ofHours(6);
    private static final Duration HEALTH_CALL_TIMEOUT = Duration.ofSeconds(3);
    /** A delete claim this old is from a deleter that died before finishing; far above any delete's duration. */
    private static final Duration ABANDONED_DELETE_CLAIM = Duration.ofMinutes(10);

    private final S3Settings settings;
    private final S3Clients clients;
    private final BucketLayout layout;
    /** This process's name in content keys and its heartbeat: new at every start. */
    private final String instance = UUID.randomUUID().toString();
    private final ExecutorService fetchers;
    private final NameRecords records;
    private final ContentDiscards discards;
    private final UploadSlots uploadSlots;
    private final S3Maintenance maintenance;
    private final S3ResumableUploads resumableUploads;
    private final StoreCapabilities capabilities;

    private S3StagingStore(S3Settings settings, S3Clients clients) {
        this.settings = settings;
        this.clients = clients;
        this.layout = new BucketLayout(settings.prefix());
        this.fetchers = recordReaders();
        this.records = new NameRecords(clients.calls, settings.bucket(), fetchers);
        this.discards = new ContentDiscards(clients.calls, settings.bucket());
        this.uploadSlots = new UploadSlots(settings.uploadSlots(Runtime.getRuntime().maxMemory()),
                settings.requestTimeout().multipliedBy(3));
        this.maintenance = new S3Maintenance(clients.calls, settings, layout, records, instance, discards);
        this.resumableUploads = new S3ResumableUploads(this, new UploadLocks(clients.calls, settings.bucket(), layout,
                instance, settings.instanceTimeout(), records));
        StoreCapabilities resumable = StoreCapabilities.NONE.withResumableUploads(resumableUploads);
        this.capabilities = settings.redirectDownloads()
                ? resumable.withDirectReads(new PresignedReads(clients.presigner, settings.bucket(), records, layout))
                : resumable;
    }

    /**
     * Connects, checks that the bucket is reachable and honours conditional writes (see {@link StartupCheck}), and
     * starts the maintenance jobs ({@link S3Maintenance}).
     *
     * @throws StorageException the bucket cannot be used; the message says why
     */
    public static S3StagingStore open(S3Settings settings) {
        try {
            return open(settings, S3Clients.create(settings));
        } catch (StartupCheck.ChecksumsRefused refused) {
            if (settings.checksums() != ChecksumMode.AUTO) {
                throw refused;
            }
            LOG.log(Level.INFO, "the store refuses the AWS SDK's optional checksums; sending them only where required");
            S3Settings required = settings.withChecksums(ChecksumMode.WHEN_REQUIRED);
            return open(required, S3Clients.create(required));
        }
    }

    static S3StagingStore open(S3Settings settings, S3Clients clients) {
        S3StagingStore store = new S3StagingStore(settings, clients);
        try {
            store.records.conditionalDeletes(new StartupCheck(store.clients.calls, settings, store.layout).run());
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        store.maintenance.start();
        return store;
    }

    public String location() {
        return "s3://" + settings.bucket() + "/" + settings.prefix()
                + settings.endpointIfSet().map(e -> " at " + e).orElse("");
    }

    /**
     * Where API keys are kept: records in the same bucket ({@code {prefix}api-keys/{hash}}), so all instances share
     * them.
     */
    public SmallRecordStore apiKeyRecords() {
        return new S3SmallRecordStore(clients.calls, settings.bucket(), layout.apiKeyRecords());
    }

    /** Small records (OAuth clients, signing keys) in the same bucket, shared by all instances. */
    public SmallRecordStore smallRecords() {
        return new S3SmallRecordStore(clients.calls, settings.bucket(), layout.records());
    }

    BucketLayout layout() {
        return layout;
    }

    NameRecords records() {
        return records;
    }

    S3Client calls() {
        return clients.calls;
    }

    /** A content object streamed to the bucket, with waits bounded by the settings' stall timeout. */
    ContentUpload newContentUpload(String contentKey) {
        return new ContentUpload(clients.uploads, settings.bucket(), contentKey, settings.contentStallTimeout());
    }

    String bucket() {
        return settings.bucket();
    }

    S3ResumableUploads resumableUploads() {
        return resumableUploads;
    }

    /** How long an instance may be silent before others take it for dead (and take over what it held). */
    Duration instanceTimeout() {
        return settings.instanceTimeout();
    }

    /** This process's name in the keys it writes. */
    String instance() {
        return instance;
    }

    /** Threads for S3 calls made side by side (reading name records, copying pieces); bounded, idle ones end. */
    ExecutorService parallelCalls() {
        return fetchers;
    }

    UploadSlots uploadSlots() {
        return uploadSlots;
    }

    /**
     * Waits for an upload slot (see {@link S3Settings#maxConcurrentUploads}) up to three request timeouts.
     *
     * @throws StorageException.StorageUnavailableException every slot stayed busy
     */
    @Override
    public PendingFile create(FileKey key) {
        uploadSlots.take();
        try {
            String contentKey = layout.newContent(key.area(), instance);
            return new S3PendingFile(this, key, contentKey,
                    newContentUpload(contentKey), uploadSlots::release);
        } catch (RuntimeException e) {
            uploadSlots.release();
            throw e;
        }
    }

    /** Upload slots: how many uploads may stream to the bucket at once. */
    public int uploadSlotCount() {
        return uploadSlots.count();
    }

    /** Serving while the bucket answers a {@code HeadBucket} with the configured credentials. */
    @Override
    public dev.filestaging.ports.out.StoreHealth health() {
        try {
            // a probe must answer while the store does not: a short deadline instead of the SDK's retries
            clients.calls.headBucket(b -> b.bucket(settings.bucket())
                    .overrideConfiguration(o -> o.apiCallTimeout(HEALTH_CALL_TIMEOUT)));
            return new dev.filestaging.ports.out.StoreHealth(true, "bucket " + settings.bucket() + " answers");
        } catch (SdkException e) {
            return dev.filestaging.ports.out.StoreHealth.failing(S3Errors.translate("checking the bucket "
                    + settings.bucket(), e).getMessage());
        }
    }

    /** Resumable uploads kept in the bucket, and direct reads when configured ({@code FILES_S3_DOWNLOAD=redirect}). */
    @Override
    public StoreCapabilities capabilities() {
        return capabilities;
    }

    @Override
    public Optional<StoredFile> find(FileKey key) {
        return records.read(layout.nameRecord(key)).map(NameRecord::file);
    }

    @Override
    public List<StoredFile> list(StagingArea area) {
        return records.list(layout.names(area)).stream().map(NameRecord::file).toList();
    }

    @Override
    public long usedBytes(StagingArea area) {
        return list(area).stream().mapToLong(StoredFile::sizeBytes).sum();
    }

    /**
     * One version by construction: the name record names a content object written once by one upload and never
     * reused, and a ranged GET of that object reads only its bytes.
     */
    @Override
    public Optional<StoredContent> open(FileKey key, ByteRange range) {
        Optional<NameRecord> record = records.read(layout.nameRecord(key));
        if (record.isEmpty()) {
            return Optional.empty();
        }
        StoredFile file = record.get().file();
        ContentSlice slice = range.within(file.sizeBytes());
        if (slice instanceof ContentSlice.Unsatisfiable || slice.length() == 0) {
            return Optional.of(new StoredContent(file, slice, InputStream.nullInputStream()));
        }
        String contentKey = record.get().contentKey();
        try {
            InputStream content = clients.calls.getObject(b -> b.bucket(settings.bucket()).key(contentKey)
                    .range(slice instanceof ContentSlice.Part part
                            ? "bytes=" + part.first() + "-" + part.last() : null)
                    .overrideConfiguration(o -> o.apiCallTimeout(READ_CALL_TIMEOUT)));
            return Optional.of(new StoredContent(file, slice, content));
        } catch (NoSuchKeyException e) {
            return Optional.empty(); // deleted since the record was read
        } catch (SdkException e) {
            throw S3Errors.translate("reading " + contentKey, e);
        }
    }

    /**
     * Claims the delete of the version read and reads the record again under the claim (so of concurrent deletes on
     * any instances exactly one wins: a conditional delete alone is not atomic on every store), then deletes the name
     * record, so the name is free and the file gone for everyone at once, then the content and the claim. What a
     * failure in between leaves is found by the orphan sweep.
     */
    @Override
    public Optional<StoredFile> delete(FileKey key) {
        return delete(key, file -> true);
    }

    @Override
    public Optional<StoredFile> delete(FileKey key, java.util.UUID id) {
        return delete(key, file -> file.id().equals(id));
    }

    private Optional<StoredFile> delete(FileKey key, java.util.function.Predicate<StoredFile> condition) {
        Optional<NameRecord> record = records.read(layout.nameRecord(key)).filter(r -> condition.test(r.file()));
        if (record.isEmpty()) {
            return Optional.empty();
        }
        String contentKey = record.get().contentKey();
        String claim = layout.deleteClaim(contentKey);
        if (!records.claimDelete(claim, ABANDONED_DELETE_CLAIM, Clock.systemUTC())) {
            return Optional.empty();
        }
        // Read again under the claim: a deleter that finished before we claimed has removed this version for good
        // (content keys are never reused), and released the claim we then got.
        Optional<NameRecord> claimed = records.read(layout.nameRecord(key))
                .filter(current -> current.contentKey().equals(contentKey));
        if (claimed.isEmpty() || !records.delete(claimed.get())) {
            records.releaseClaim(claim);
            return Optional.empty();
        }
        discardContent(contentKey);
        records.releaseClaim(claim);
        return Optional.of(claimed.get().file());
    }

    /** Deletes a content object and aborts any multipart upload still open for it; never throws. */
    void discardContent(String contentKey) {
        discards.discard(contentKey);
    }

    /** How many discards wait for the store to come back. */
    int pendingDiscards() {
        return discards.pending();
    }

    /** Runs one sweep of orphaned content now (also scheduled hourly). */
    OrphanSweep.Result sweep() {
        return sweep(Clock.systemUTC());
    }

    /** One sweep as if the time were {@code clock}'s: for tests of what ages out. */
    OrphanSweep.Result sweep(Clock clock) {
        return maintenance.sweep(clock);
    }

    /** Runs one sweep of dead instances' multipart uploads now (also scheduled every half instance timeout). */
    int sweepDeadInstances() {
        return maintenance.sweepDeadInstances();
    }

    @Override
    public List<dev.filestaging.ports.out.SweepTally> sweeps() {
        return maintenance.tallies();
    }

    @Override
    public void close() {
        maintenance.close();
        fetchers.shutdownNow();
        clients.close();
    }

    /**
     * Up to {@link #RECORD_FETCHERS} threads reading name records for listings; idle ones end after a few seconds, so
     * a quiet service holds none.
     */
    private static ExecutorService recordReaders() {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(RECORD_FETCHERS, RECORD_FETCHERS, 5, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), daemon("s3-record-reader"));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
