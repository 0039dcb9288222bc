package dev.filestaging.adapter.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.filestaging.adapter.s3.testing.FaultInjectingProxy;
import dev.filestaging.adapter.s3.testing.S3TestServer;
import dev.filestaging.ports.ByteRange;
import dev.filestaging.ports.FileKey;
import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.StoredFile;
import dev.filestaging.ports.out.CommitOutcome;
import dev.filestaging.ports.out.ResumableFile;
import dev.filestaging.ports.out.ResumableUploads;
import dev.filestaging.ports.out.UploadTicket;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Instance A dies ({@code kill -9}, played by a {@link FaultInjectingProxy} that lets nothing more through) at each step
 * of a resumable upload's commit; instance B, on the same bucket, takes over once A's lock ages out, and ends the
 * upload as a client would make it: commits it (a HEAD or PATCH seeing it complete), terminates it, or lets it expire.
 * Each ends staged exactly once with the right bytes, or gone, and nothing is left in the bucket: no pieces, no open
 * multipart upload, no content no record points to.
 */
class S3CommitCrashTest {

    private static final StagingArea AREA = StagingArea.defaultProjectOf(new OrganizationId("acme"));
    private static final BucketLayout LAYOUT = new BucketLayout(S3TestSettings.PREFIX);
    private static final Duration INSTANCE_TIMEOUT = Duration.ofSeconds(1);
    private static final String ID = "crashing-000000000001";
    /** What A's first two appends acknowledged before its last one. */
    private static final int ACKNOWLEDGED = 9 << 20;

    /** Where A dies, by the request it was making. */
    enum Step {
        FINISHING_THE_LAST_PIECE(request -> "POST".equals(request.method())
                && request.pathAndQuery().contains("/uploads/" + ID + "/") && request.pathAndQuery().contains("uploadId="),
                false),
        BEFORE_THE_NOTE(put("/state"), false),
        BEFORE_THE_JOIN(put("/state"), true),
        DURING_THE_JOIN(request -> "POST".equals(request.method()) && request.pathAndQuery().contains("/content/")
                && request.pathAndQuery().contains("uploadId="), false),
        AFTER_THE_JOIN(FaultInjectingProxy.Request::isNameRecordWrite, false),
        AFTER_THE_RECORD(FaultInjectingProxy.Request::isNameRecordWrite, true),
        AFTER_THE_STAGED_NOTE(put("/staged"), true),
        DURING_THE_CLEAN_UP(request -> "DELETE".equals(request.method())
                && request.pathAndQuery().contains("/uploads/" + ID + "/"), true);

        final Predicate<FaultInjectingProxy.Request> request;
        final boolean forwarded;

        Step(Predicate<FaultInjectingProxy.Request> request, boolean forwarded) {
            this.request = request;
            this.forwarded = forwarded;
        }

        boolean afterTheRecord() {
            return compareTo(AFTER_THE_RECORD) >= 0;
        }

        private static Predicate<FaultInjectingProxy.Request> put(String object) {
            return request -> "PUT".equals(request.method())
                    && request.pathAndQuery().contains("/uploads/" + ID + object);
        }
    }

    @TempDir
    static Path serverDirectory;
    private static S3TestServer s3;
    private static int buckets;

    private String bucket;
    private FaultInjectingProxy proxy;
    private S3StagingStore a;
    private S3StagingStore b;

    @BeforeAll
    static void startServer() throws Exception {
        s3 = S3TestServer.startWithoutAuthentication(serverDirectory); // the proxy changes the signed Host
    }

    @AfterAll
    static void stopServer() {
        s3.close();
    }

    @BeforeEach
    void openInstances() throws Exception {
        bucket = "crash-" + ++buckets;
        s3.createBucket(bucket);
        proxy = new FaultInjectingProxy(s3.endpoint());
        a = S3StagingStore.open(settings(proxy.endpoint()));
        b = S3StagingStore.open(settings(s3.endpoint()));
    }

    @AfterEach
    void closeInstances() {
        a.close();
        b.close();
        proxy.close();
    }

    private S3Settings settings(java.net.URI endpoint) {
        return new S3Settings(bucket, S3TestSettings.PREFIX, S3TestServer.REGION, endpoint, true,
                S3Settings.MIN_PART_SIZE_BYTES, Duration.ofSeconds(2), true, S3Settings.DEFAULT_ORPHAN_AGE)
                .withInstanceTimeout(INSTANCE_TIMEOUT);
    }

    @ParameterizedTest
    @EnumSource(Step.class)
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void a_commit_cut_at_any_step_is_staged_once_when_another_instance_completes_it(Step step) throws Exception {
        byte[] content = content();
        StoredFile firstAttempt = crashCommitting(step, content);

        Optional<ResumableUploads.UploadStatus> status = uploads(b).status(ID);
        if (step.afterTheRecord()) {
            assertThat(status).as("staged by A: B finishes the clean-up and says so").isEmpty();
            assertThat(uploads(b).staged(ID)).isPresent();
            assertThat(uploads(b).openForWriting(ID)).isInstanceOf(ResumableUploads.Opened.Gone.class);
        } else {
            assertThat(status.orElseThrow().offset()).as("resumable at the last acknowledged offset")
                    .isEqualTo(ACKNOWLEDGED);
            StoredFile secondAttempt = S3StagingStoreTest.metadata(key(), content);
            try (ResumableFile file = writingOnB()) {
                assertThat(file.readDurable().readAllBytes())
                        .isEqualTo(java.util.Arrays.copyOf(content, ACKNOWLEDGED));
                file.write(content, ACKNOWLEDGED, content.length - ACKNOWLEDGED); // the client sends the rest again
                assertThat(file.commit(secondAttempt)).isEqualTo(new CommitOutcome.Committed(secondAttempt));
            }
        }
        StoredFile staged = b.find(key()).orElseThrow();
        if (step.afterTheRecord()) {
            assertThat(staged).as("the file of A's record").isEqualTo(firstAttempt);
        }
        assertThat(b.list(AREA)).as("staged exactly once").containsExactly(staged);
        try (InputStream stored = b.open(key(), ByteRange.WHOLE).orElseThrow().content()) {
            assertThat(S3StagingStoreTest.md5(stored.readAllBytes())).isEqualTo(S3StagingStoreTest.md5(content));
        }
        assertThat(staged.digest().hash()).isEqualTo(S3StagingStoreTest.md5(content));
        assertNothingLeftBut(List.of(LAYOUT.uploadStaged(ID)));
    }

    @ParameterizedTest
    @EnumSource(Step.class)
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void a_commit_cut_at_any_step_leaves_nothing_when_the_upload_is_terminated(Step step) throws Exception {
        crashCommitting(step, content());

        if (step.afterTheRecord()) {
            assertThat(uploads(b).openForWriting(ID)).as("it is staged: nothing to terminate")
                    .isInstanceOf(ResumableUploads.Opened.Gone.class);
            assertThat(b.find(key())).isPresent();
            assertNothingLeftBut(List.of(LAYOUT.uploadStaged(ID)));
        } else {
            try (ResumableFile file = writingOnB()) {
                file.terminate();
            }
            assertThat(b.find(key())).isEmpty();
            assertThat(uploads(b).isReserved(key())).as("the name is free").isFalse();
            assertNothingLeftBut(List.of());
        }
    }

    @ParameterizedTest
    @EnumSource(Step.class)
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void a_commit_cut_at_any_step_leaves_nothing_once_the_upload_expires(Step step) throws Exception {
        crashCommitting(step, content());
        Instant later = Instant.now().plus(Duration.ofDays(2));
        awaitLockAgedOut();

        List<UploadTicket> expired = uploads(b).expire(later);
        uploads(b).expire(later); // the staged note of an upload finished by the first pass goes in the next

        assertThat(expired).as("an upload that was staged is not expired: it holds nothing")
                .hasSize(step.afterTheRecord() ? 0 : 1);
        assertThat(b.find(key()).isPresent()).isEqualTo(step.afterTheRecord());
        assertNothingLeftBut(List.of());
    }

    @org.junit.jupiter.api.Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void a_creation_cut_between_its_two_writes_never_shows_an_upload_without_its_name() throws Exception {
        java.util.concurrent.atomic.AtomicInteger writes = new java.util.concurrent.atomic.AtomicInteger();
        proxy.crashAt(request -> "PUT".equals(request.method()) && (request.pathAndQuery().contains("/uploads/")
                || request.pathAndQuery().contains("/names/")) && writes.incrementAndGet() == 2, false);
        UploadTicket ticket = new UploadTicket(ID, key(), 10, Map.of(), "sa-1", Instant.now(),
                Instant.now().plus(Duration.ofDays(1)));
        CompletableFuture.runAsync(() -> uploads(a).reserve(ticket)).handle((r, e) -> null).get(30, TimeUnit.SECONDS);
        assertThat(proxy.crashed()).as("A died between the two writes").isTrue();

        assertThat(uploads(b).status(ID)).as("no upload answers without its name").isEmpty();
        assertThat(uploads(b).openForWriting(ID)).isInstanceOf(ResumableUploads.Opened.Gone.class);
        UploadTicket again = new UploadTicket("crashing-000000000002", key(), 10, Map.of(), "sa-1", Instant.now(),
                Instant.now().plus(Duration.ofDays(1)));
        assertThat(uploads(b).reserve(again)).as("a creation may still be under way").isEmpty();
        awaitLockAgedOut();
        assertThat(uploads(b).reserve(again)).as("the name its dead creator left is taken over").contains(again);
        assertThat(uploads(b).status(again.id())).isPresent();
        assertThat(s3.objects(bucket, LAYOUT.uploads()).stream().map(S3Object::key).toList())
                .containsExactly(LAYOUT.uploadState(again.id()));
    }

    @org.junit.jupiter.api.Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void an_end_cut_after_freeing_the_name_leaves_no_upload_that_answers() throws Exception {
        UploadTicket ticket = new UploadTicket(ID, key(), 10, Map.of(), "sa-1", Instant.now(),
                Instant.now().plus(Duration.ofDays(1)));
        uploads(a).reserve(ticket);
        ResumableFile file = ((ResumableUploads.Opened.Writing) uploads(a).openForWriting(ID)).file();
        file.write(new byte[5], 0, 5);
        file.sync();
        proxy.crashAt(request -> "DELETE".equals(request.method())
                && request.pathAndQuery().contains("/uploads/" + ID + "/"), false);
        CompletableFuture.runAsync(file::terminate).handle((r, e) -> null).get(30, TimeUnit.SECONDS);
        assertThat(proxy.crashed()).isTrue();
        assertThat(s3.objects(bucket, LAYOUT.upload(ID))).as("the state outlived the name").isNotEmpty();

        assertThat(uploads(b).status(ID)).as("its name is free: the upload is gone").isEmpty();
        assertThat(uploads(b).isReserved(key())).isFalse();
        assertNothingLeftBut(List.of());
    }

    /** A writes the upload in three appends, then dies in the commit at {@code step}; returns what it committed. */
    private StoredFile crashCommitting(Step step, byte[] content) throws Exception {
        UploadTicket ticket = new UploadTicket(ID, key(), content.length, Map.of(), "sa-1", Instant.now(),
                Instant.now().plus(Duration.ofDays(1)));
        assertThat(uploads(a).reserve(ticket)).isPresent();
        int[] appends = {6 << 20, 3 << 20, content.length - ACKNOWLEDGED}; // long, short (the tail), the last
        int at = 0;
        ResumableFile file = null;
        for (int length : appends) {
            file = ((ResumableUploads.Opened.Writing) uploads(a).openForWriting(ID)).file();
            file.write(content, at, length);
            at += length;
            if (at < content.length) { // the last bytes are made durable by the commit itself
                file.sync();
                file.close();
            }
        }
        proxy.crashAt(step.request, step.forwarded);
        StoredFile metadata = S3StagingStoreTest.metadata(key(), content);
        ResumableFile last = file;
        // A's commit fails or returns; either way A is dead from the crash on: nothing it does reaches the bucket
        CompletableFuture.runAsync(() -> last.commit(metadata)).handle((r, e) -> null).get(60, TimeUnit.SECONDS);
        assertThat(proxy.crashed()).as("A died at " + step).isTrue();
        return metadata;
    }

    /** B opens the upload once A's lock is taken over (A's heartbeat stopped with it). */
    private ResumableFile writingOnB() throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        while (true) {
            ResumableUploads.Opened opened = uploads(b).openForWriting(ID);
            if (opened instanceof ResumableUploads.Opened.Writing writing) {
                return writing.file();
            }
            assertThat(opened).isInstanceOf(ResumableUploads.Opened.Busy.class);
            assertThat(Instant.now()).as("A's lock was never taken over").isBefore(deadline);
            Thread.sleep(200);
        }
    }

    private void awaitLockAgedOut() throws InterruptedException {
        Thread.sleep(INSTANCE_TIMEOUT.multipliedBy(2).plusMillis(500).toMillis());
    }

    /** No open multipart upload, content only where a record points, and under uploads/ only {@code kept}. */
    private void assertNothingLeftBut(List<String> kept) {
        assertThat(s3.openMultipartUploads(bucket)).as("open multipart uploads").isEmpty();
        List<String> content = s3.objects(bucket, LAYOUT.areas()).stream().map(S3Object::key)
                .filter(LAYOUT::isContent).toList();
        Optional<NameRecord> record = b.records().read(LAYOUT.nameRecord(key()));
        assertThat(content).as("content objects").containsExactlyElementsOf(
                record.map(NameRecord::contentKey).stream().toList());
        assertThat(s3.objects(bucket, LAYOUT.uploads()).stream().map(S3Object::key).toList())
                .as("objects of the upload").containsExactlyInAnyOrderElementsOf(kept);
    }

    private static ResumableUploads uploads(S3StagingStore store) {
        return store.capabilities().resumableUploads().orElseThrow();
    }

    private static FileKey key() {
        return new FileKey(AREA, "crashed.csv");
    }

    private static byte[] content() {
        byte[] content = new byte[(11 << 20) + 13];
        new Random(11).nextBytes(content);
        return content;
    }
}
