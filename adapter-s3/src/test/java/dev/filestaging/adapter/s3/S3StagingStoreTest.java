package dev.filestaging.adapter.s3;

import dev.filestaging.ports.ByteRange;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.filestaging.adapter.s3.testing.S3TestServer;
import dev.filestaging.adapter.s3.testing.S3TestServerExtension;
import dev.filestaging.ports.CompressionFormat;
import dev.filestaging.ports.DataFormat;
import dev.filestaging.ports.Digest;
import dev.filestaging.ports.FileKey;
import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.Role;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.StoredFile;
import dev.filestaging.ports.out.ApiKeyRecord;
import dev.filestaging.ports.out.CommitOutcome;
import dev.filestaging.ports.out.PendingFile;
import dev.filestaging.ports.out.StorageException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.S3Object;

/** What the S3 store promises beyond the shared contract: cheap listings, clean aborts, shared buckets, checks. */
class S3StagingStoreTest {

    private static final StagingArea AREA = StagingArea.defaultProjectOf(new OrganizationId("acme"));
    private static final BucketLayout LAYOUT = new BucketLayout(S3TestSettings.PREFIX);

    @RegisterExtension
    static final S3TestServerExtension S3 = new S3TestServerExtension();
    private final S3TestServer s3 = S3.server();

    private String bucket;
    private final List<S3StagingStore> stores = new ArrayList<>();

    @BeforeEach
    void newBucket() {
        bucket = S3.newBucket("s3-store");
    }

    @AfterEach
    void closeStores() {
        stores.forEach(S3StagingStore::close);
    }

    private S3StagingStore open(S3Settings settings, ExecutionInterceptor... interceptors) {
        S3StagingStore store = S3StagingStore.open(settings, S3Clients.create(settings, List.of(interceptors)));
        stores.add(store);
        return store;
    }

    private S3StagingStore open() {
        return open(S3TestSettings.forBucket(s3, bucket));
    }

    @Test
    void a_warm_listing_costs_one_call_per_page_of_keys_and_no_read_per_file() throws Exception {
        int files = 1_500;
        S3StagingStore writer = open();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<CommitOutcome>> staged = new ArrayList<>();
            for (int i = 0; i < files; i++) {
                FileKey key = new FileKey(AREA, String.format("file-%05d.csv", i));
                staged.add(pool.submit(() -> stage(writer, key, ("row " + key.name() + "\n").getBytes())));
            }
            for (Future<CommitOutcome> outcome : staged) {
                assertThat(outcome.get()).isInstanceOf(CommitOutcome.Committed.class);
            }
        } finally {
            pool.shutdownNow();
        }
        CallCounter calls = new CallCounter();
        S3StagingStore otherInstance = open(S3TestSettings.forBucket(s3, bucket), calls);
        calls.reset();

        List<StoredFile> cold = otherInstance.list(AREA);
        Map<String, Integer> coldCalls = calls.reset();
        List<StoredFile> warm = otherInstance.list(AREA);
        Map<String, Integer> warmCalls = calls.reset();

        // AWS S3 pages 1,000 keys per call; S3Proxy fewer. Either way: one call per page.
        int pages = (int) s3.client().listObjectsV2Paginator(b -> b.bucket(bucket).prefix(LAYOUT.names(AREA)))
                .stream().count();
        assertThat(pages).isLessThan(files / 100);
        assertThat(cold).hasSize(files).isEqualTo(warm);
        assertThat(coldCalls).isEqualTo(Map.of("ListObjectsV2", pages, "GetObject", files));
        assertThat(warmCalls).isEqualTo(Map.of("ListObjectsV2", pages));
    }

    @Test
    void an_upload_abandoned_after_several_parts_aborts_its_multipart_upload_and_leaves_no_content() {
        S3StagingStore store = open();
        byte[] part = new byte[(int) S3Settings.MIN_PART_SIZE_BYTES];
        try (PendingFile pending = store.create(new FileKey(AREA, "abandoned.csv"))) {
            for (int i = 0; i < 3; i++) {
                pending.write(part, 0, part.length);
            }
            // the content really is going up in parts while the client is still sending
            awaitTrue(() -> !s3.openMultipartUploads(bucket).isEmpty());
        }

        assertThat(s3.openMultipartUploads(bucket)).isEmpty();
        assertThat(s3.objects(bucket, LAYOUT.areas())).isEmpty();
        assertThat(store.pendingDiscards()).isZero();
    }

    @Test
    void the_multipart_upload_of_an_instance_that_stopped_is_aborted_by_another_but_a_live_ones_never() throws Exception {
        Duration timeout = Duration.ofSeconds(2);
        S3StagingStore watcher = open(S3TestSettings.forBucket(s3, bucket).withInstanceTimeout(timeout));
        S3StagingStore alive = open(S3TestSettings.forBucket(s3, bucket).withInstanceTimeout(timeout));
        S3StagingStore dying = S3StagingStore.open(S3TestSettings.forBucket(s3, bucket).withInstanceTimeout(timeout));
        byte[] part = new byte[(int) S3Settings.MIN_PART_SIZE_BYTES];
        PendingFile living = alive.create(new FileKey(AREA, "in-progress.bin"));
        PendingFile abandoned = dying.create(new FileKey(AREA, "abandoned.bin"));
        for (int i = 0; i < 2; i++) {
            living.write(part, 0, part.length);
            abandoned.write(part, 0, part.length);
        }
        awaitTrue(() -> s3.openMultipartUploads(bucket).size() == 2);
        dying.close(); // stops its heartbeat and leaves its upload open, as a killed process would

        long deadline = System.nanoTime() + timeout.multipliedBy(4).toNanos();
        while (System.nanoTime() < deadline) {
            watcher.sweepDeadInstances();
            Thread.sleep(250);
        }

        assertThat(s3.openMultipartUploads(bucket)).as("only the live instance's upload is left").hasSize(1);
        living.write(part, 0, 10);
        assertThat(living.commit(metadata(new FileKey(AREA, "in-progress.bin"), new byte[2 * part.length + 10])))
                .as("the live instance's upload was not touched").isInstanceOf(CommitOutcome.Committed.class);
        assertThat(s3.openMultipartUploads(bucket)).isEmpty();
    }

    @Test
    void a_multipart_upload_is_stored_byte_for_byte() throws Exception {
        S3StagingStore store = open();
        byte[] content = new byte[12 * 1024 * 1024 + 12345];
        new Random(3).nextBytes(content);
        FileKey key = new FileKey(AREA, "twelve-mib.bin");

        assertThat(stage(store, key, content)).isInstanceOf(CommitOutcome.Committed.class);

        try (InputStream in = store.open(key, ByteRange.WHOLE).orElseThrow().content()) {
            assertThat(md5(in.readAllBytes())).isEqualTo(md5(content));
        }
        assertThat(s3.openMultipartUploads(bucket)).isEmpty();
    }

    @Test
    void instances_sharing_a_bucket_see_each_others_commits_and_deletes_at_once() {
        S3StagingStore first = open();
        S3StagingStore second = open();
        FileKey key = new FileKey(AREA, "shared.csv");
        assertThat(first.list(AREA)).isEmpty();

        StoredFile staged = ((CommitOutcome.Committed) stage(first, key, "a,b\n".getBytes())).file();

        assertThat(second.find(key)).contains(staged);
        assertThat(second.list(AREA)).containsExactly(staged);
        assertThat(second.usedBytes(AREA)).isEqualTo(4);
        assertThat(stage(second, key, "other".getBytes())).isEqualTo(new CommitOutcome.AlreadyExists(staged));

        assertThat(second.delete(key)).contains(staged);

        assertThat(first.find(key)).isEmpty();
        assertThat(first.list(AREA)).isEmpty();
        assertThat(first.delete(key)).isEmpty();
    }

    @Test
    void the_start_up_check_finds_that_s3proxy_honours_conditional_deletes() {
        assertThat(open().records().conditionalDeletes()).isTrue();
    }

    @Test
    void of_instances_racing_for_one_name_exactly_one_wins() throws Exception {
        InstanceRaces.exactlyOneCommits(List.of(open(), open()), new FileKey(AREA, "contended.csv"), 8);
        assertThat(s3.objects(bucket, LAYOUT.areas()).stream().map(S3Object::key).filter(LAYOUT::isContent))
                .hasSize(1);
    }

    @Test
    void of_instances_deleting_one_file_at_once_exactly_one_gets_it_and_no_claim_is_left() throws Exception {
        InstanceRaces.exactlyOneDeletes(List.of(open(), open()), new FileKey(AREA, "deleted-once.csv"), 8, 30);
        assertThat(s3.objects(bucket, LAYOUT.areas())).isEmpty();
    }

    @Test
    void a_delete_claim_left_by_a_deleter_that_died_is_taken_over_once_abandoned() {
        S3StagingStore store = open();
        FileKey key = new FileKey(AREA, "stuck.csv");
        stage(store, key, "x".getBytes());
        NameRecord record = store.records().read(LAYOUT.nameRecord(key)).orElseThrow();
        String claim = LAYOUT.deleteClaim(record.contentKey());
        s3.client().putObject(b -> b.bucket(bucket).key(claim), RequestBody.empty()); // what a crash mid-delete leaves

        assertThat(store.records().claimDelete(claim, Duration.ofMinutes(10), java.time.Clock.systemUTC())).isFalse();
        assertThat(store.records().claimDelete(claim, Duration.ofMinutes(10),
                java.time.Clock.offset(java.time.Clock.systemUTC(), Duration.ofMinutes(11)))).isTrue();
    }

    @Test
    void uploads_beyond_the_slots_wait_for_one_and_give_up_as_unavailable() throws Exception {
        S3StagingStore store = open(new S3Settings(bucket, S3TestSettings.PREFIX, S3TestServer.REGION, s3.endpoint(),
                true, S3Settings.MIN_PART_SIZE_BYTES, Duration.ofMillis(500), true, Duration.ofHours(24))
                .withMaxConcurrentUploads(1));
        assertThat(store.uploadSlotCount()).isEqualTo(1);
        PendingFile first = store.create(new FileKey(AREA, "first.csv"));

        assertThatThrownBy(() -> store.create(new FileKey(AREA, "second.csv")))
                .isInstanceOf(StorageException.StorageUnavailableException.class).hasMessageContaining("upload slots");

        ExecutorService waiter = Executors.newSingleThreadExecutor();
        try {
            Future<CommitOutcome> second = waiter.submit(() -> stage(store, new FileKey(AREA, "second.csv"), new byte[1]));
            Thread.sleep(300);
            assertThat(second).isNotDone();
            first.write(new byte[1], 0, 1);
            first.commit(metadata(new FileKey(AREA, "first.csv"), new byte[1]));
            first.close();
            assertThat(second.get()).isInstanceOf(CommitOutcome.Committed.class);
        } finally {
            waiter.shutdownNow();
        }
    }

    @Test
    void the_slots_follow_the_heap_unless_configured() {
        S3Settings settings = S3TestSettings.forBucket(s3, bucket);
        long part = settings.partSizeBytes();
        assertThat(settings.uploadSlots(64L << 20)).isEqualTo(Math.max(1, (int) ((32L << 20) / (3 * part))));
        assertThat(settings.uploadSlots(6L << 30)).isEqualTo((int) ((3L << 30) / (3 * part)));
        assertThat(settings.withMaxConcurrentUploads(7).uploadSlots(64L << 20)).isEqualTo(7);
    }

    @Test
    void a_missing_bucket_is_refused_with_a_clear_message() {
        assertThatThrownBy(() -> open(S3TestSettings.forBucket(s3, "no-such-bucket")))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("bucket 'no-such-bucket'")
                .hasMessageContaining("does not exist");
    }

    @Test
    void the_orphan_sweep_frees_what_crashed_uploads_left_and_keeps_committed_files() throws Exception {
        S3StagingStore store = open(new S3Settings(bucket, S3TestSettings.PREFIX, S3TestServer.REGION, s3.endpoint(),
                true, S3Settings.MIN_PART_SIZE_BYTES, Duration.ofSeconds(5), true, Duration.ZERO));
        FileKey kept = new FileKey(AREA, "kept.csv");
        stage(store, kept, "kept".getBytes());
        // what a process killed mid-upload leaves: an open multipart upload, and content no record points to
        s3.client().createMultipartUpload(b -> b.bucket(bucket).key(LAYOUT.newContent(AREA, "crashed-instance")));
        s3.client().putObject(b -> b.bucket(bucket).key(LAYOUT.newContent(AREA, "crashed-instance")), RequestBody.fromString("orphan"));
        Thread.sleep(1_100); // object times have one-second resolution

        OrphanSweep.Result result = store.sweep();

        assertThat(result).isEqualTo(new OrphanSweep.Result(1, 1, 0));
        assertThat(s3.openMultipartUploads(bucket)).isEmpty();
        assertThat(store.sweeps()).as("tallied for the meters").contains(
                new dev.filestaging.ports.out.SweepTally("orphaned-content", 1, 2));
        assertThat(s3.objects(bucket, LAYOUT.areas()).stream().map(S3Object::key).filter(LAYOUT::isContent))
                .hasSize(1);
        try (InputStream in = store.open(kept, ByteRange.WHOLE).orElseThrow().content()) {
            assertThat(in.readAllBytes()).isEqualTo("kept".getBytes());
        }
    }

    @Test
    void the_orphan_sweep_removes_heartbeats_of_instances_gone_for_an_hour_but_never_a_live_ones() {
        // even with an orphan age of zero, a heartbeat must be an hour old
        S3StagingStore store = open(new S3Settings(bucket, S3TestSettings.PREFIX, S3TestServer.REGION, s3.endpoint(),
                true, S3Settings.MIN_PART_SIZE_BYTES, Duration.ofSeconds(5), true, Duration.ZERO));
        S3StagingStore other = open();
        s3.client().putObject(b -> b.bucket(bucket).key(LAYOUT.heartbeat("long-gone")), RequestBody.fromString("1"));
        assertThat(s3.objects(bucket, LAYOUT.instances())).hasSize(3);

        assertThat(store.sweep().deletedHeartbeats()).as("none is an hour old yet").isZero();
        Clock later = Clock.offset(Clock.systemUTC(), OrphanSweep.HEARTBEAT_MIN_AGE.plusMinutes(1));
        OrphanSweep.Result result = store.sweep(later);

        // as seen an hour later, all but the sweeping store's own heartbeat look gone; the other live store
        // rewrites its heartbeat within a quarter of its instance timeout, so it is back at once
        assertThat(result.deletedHeartbeats()).isEqualTo(2);
        assertThat(s3.objects(bucket, LAYOUT.instances())).hasSize(1);
        assertThat(other).isNotNull();
    }

    @Test
    void api_key_records_live_in_the_bucket_where_every_instance_reads_them() {
        S3StagingStore server = open();
        assertThat(server.apiKeyRecords().read("api-keys", "e".repeat(64))).isEmpty();

        open().apiKeyRecords().write("api-keys", "e".repeat(64), "acme|sa-acme|ManageFiles|2026-01-01T00:00:00Z");

        assertThat(server.apiKeyRecords().readAll("api-keys")).containsOnlyKeys("e".repeat(64));
        assertThat(s3.client().getObjectAsBytes(b -> b.bucket(bucket).key("staging/api-keys/" + "e".repeat(64)))
                .asUtf8String()).isEqualTo("acme|sa-acme|ManageFiles|2026-01-01T00:00:00Z");
    }

    @Test
    void a_resumable_upload_keeps_every_piece_but_the_last_a_valid_part_and_joins_them_in_the_store() throws Exception {
        S3StagingStore store = open(S3TestSettings.forBucket(s3, bucket));
        var uploads = store.capabilities().resumableUploads().orElseThrow();
        FileKey key = new FileKey(AREA, "pieces.csv");
        byte[] content = new byte[13 * 1024 * 1024 + 7];
        new java.util.Random(7).nextBytes(content);
        var ticket = new dev.filestaging.ports.out.UploadTicket("pieces-0000000000001", key, content.length,
                java.util.Map.of(), "sa-1", Instant.now(), Instant.now().plusSeconds(3600));
        uploads.reserve(ticket);
        int[] appends = {3 << 20, 3 << 20, 6 << 20, (1 << 20) + 7}; // short, short, long, the last
        int at = 0;
        for (int length : appends) {
            try (var file = ((dev.filestaging.ports.out.ResumableUploads.Opened.Writing) uploads.openForWriting(
                    ticket.id())).file()) {
                file.write(content, at, length);
                at += length;
                assertThat(file.sync()).isEqualTo(at);
            }
            UploadState state = ((S3ResumableUploads) uploads).readState(ticket.id()).orElseThrow();
            List<UploadState.Piece> pieces = state.pieces();
            assertThat(pieces.subList(0, pieces.size() - 1)).as("every piece but the last can be a part")
                    .allMatch(piece -> piece.size() >= UploadState.MIN_PART_BYTES);
            assertThat(s3.objects(bucket, LAYOUT.upload(ticket.id())).stream().map(S3Object::key).toList())
                    .as("a rewritten tail is deleted").containsExactlyInAnyOrderElementsOf(
                            java.util.stream.Stream.concat(pieces.stream().map(UploadState.Piece::key),
                                    java.util.stream.Stream.of(LAYOUT.uploadState(ticket.id()))).toList());
        }
        assertThat(((S3ResumableUploads) uploads).readState(ticket.id()).orElseThrow().pieces())
                .extracting(UploadState.Piece::size).containsExactly(6L << 20, 6L << 20, (1L << 20) + 7);

        S3StagingStore other = open(S3TestSettings.forBucket(s3, bucket)); // another instance on the bucket
        var otherUploads = other.capabilities().resumableUploads().orElseThrow();
        try (var file = ((dev.filestaging.ports.out.ResumableUploads.Opened.Writing) uploads.openForWriting(
                ticket.id())).file()) {
            assertThat(otherUploads.openForWriting(ticket.id())).as("one writer across instances")
                    .isInstanceOf(dev.filestaging.ports.out.ResumableUploads.Opened.Busy.class);
        }
        try (var file = ((dev.filestaging.ports.out.ResumableUploads.Opened.Writing) otherUploads.openForWriting(
                ticket.id())).file()) {
            assertThat(file.readDurable().readAllBytes()).isEqualTo(content);
            assertThat(file.commit(metadata(key, content))).isInstanceOf(CommitOutcome.Committed.class);
        }
        try (var read = store.open(key, dev.filestaging.ports.ByteRange.WHOLE).orElseThrow().content()) {
            assertThat(md5(read.readAllBytes())).isEqualTo(md5(content));
        }
        assertThat(s3.objects(bucket, LAYOUT.uploads())).extracting(S3Object::key)
                .as("only the note that the upload is staged").containsExactly(LAYOUT.uploadStaged(ticket.id()));
        assertThat(uploads.staged(ticket.id())).isPresent();
        assertThat(s3.openMultipartUploads(bucket)).isEmpty();
    }

    @Test
    void the_lock_of_a_writer_whose_instance_stopped_is_taken_over() {
        S3StagingStore store = open(S3TestSettings.forBucket(s3, bucket));
        S3StagingStore dying = S3StagingStore.open(S3TestSettings.forBucket(s3, bucket));
        FileKey key = new FileKey(AREA, "locked.csv");
        var ticket = new dev.filestaging.ports.out.UploadTicket("locked-0000000000001", key, 3, java.util.Map.of(),
                "sa-1", Instant.now(), Instant.now().plusSeconds(3600));
        var dyingUploads = dying.capabilities().resumableUploads().orElseThrow();
        dyingUploads.reserve(ticket);
        assertThat(dyingUploads.openForWriting(ticket.id()))
                .isInstanceOf(dev.filestaging.ports.out.ResumableUploads.Opened.Writing.class); // never closed
        var uploads = store.capabilities().resumableUploads().orElseThrow();
        assertThat(uploads.openForWriting(ticket.id()))
                .isInstanceOf(dev.filestaging.ports.out.ResumableUploads.Opened.Busy.class);

        dying.close(); // its heartbeat goes: the instance is gone

        try (var file = ((dev.filestaging.ports.out.ResumableUploads.Opened.Writing) uploads.openForWriting(
                ticket.id())).file()) {
            file.write(new byte[] {1, 2, 3}, 0, 3);
            assertThat(file.sync()).isEqualTo(3);
        }
    }

    static CommitOutcome stage(S3StagingStore store, FileKey key, byte[] content) {
        try (PendingFile pending = store.create(key)) {
            pending.write(content, 0, content.length);
            return pending.commit(metadata(key, content));
        }
    }

    static StoredFile metadata(FileKey key, byte[] content) {
        return new StoredFile(UUID.randomUUID(), key, content.length, DataFormat.CSV, CompressionFormat.GZ,
                Digest.md5(md5(content)), "sa-1", Instant.now().truncatedTo(ChronoUnit.MICROS));
    }

    static String md5(byte[] content) {
        try {
            return HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("MD5").digest(content));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    static void awaitTrue(java.util.function.BooleanSupplier condition) {
        Instant deadline = Instant.now().plusSeconds(20);
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("condition not met in time").isBefore(deadline);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    /** Counts the SDK calls a store makes, by operation name. */
    static final class CallCounter implements ExecutionInterceptor {
        private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            counts.computeIfAbsent(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME),
                    name -> new AtomicInteger()).incrementAndGet();
        }

        Map<String, Integer> reset() {
            Map<String, Integer> snapshot = new java.util.TreeMap<>();
            counts.forEach((name, count) -> snapshot.put(name, count.get()));
            counts.clear();
            return snapshot;
        }
    }
}
