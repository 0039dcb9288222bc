package dev.filestaging.domain.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.filestaging.domain.storage.CommitOutcome;
import dev.filestaging.domain.storage.PendingFile;
import dev.filestaging.domain.storage.ResumableFile;
import dev.filestaging.domain.storage.ResumableUploads;
import dev.filestaging.domain.storage.StagingStore;
import dev.filestaging.ports.ByteRange;
import dev.filestaging.ports.CompressionFormat;
import dev.filestaging.ports.ContentSlice;
import dev.filestaging.ports.DataFormat;
import dev.filestaging.ports.Digest;
import dev.filestaging.ports.FileKey;
import dev.filestaging.ports.NameGlob;
import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.ProjectId;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.StoredContent;
import dev.filestaging.ports.StoredFile;
import dev.filestaging.ports.out.UploadTicket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The {@link StagingStore} contract, run unchanged against every implementation. Subclasses provide a fresh store and
 * a way to look underneath it for leftovers (temp files, open multipart uploads).
 */
public abstract class StagingStoreContractTest {

    protected static final StagingArea AREA = StagingArea.defaultProjectOf(new OrganizationId("acme"));
    protected static final StagingArea OTHER_PROJECT = new StagingArea(new OrganizationId("acme"), new ProjectId("p2"));
    protected static final StagingArea OTHER_ORG = StagingArea.defaultProjectOf(new OrganizationId("globex"));

    protected StagingStore store;

    /** A new, empty store. */
    protected abstract StagingStore newStore() throws Exception;

    /** The same store as a new process would see it, or null if the implementation keeps nothing across restarts. */
    protected abstract StagingStore reopen(StagingStore current) throws Exception;

    /** Capability flag: whether the store under test is set up to offer {@link dev.filestaging.domain.storage.DirectReads}. */
    protected boolean offersDirectReads() {
        return false;
    }

    /** Fails if anything written for an uncommitted or discarded file is still held underneath the store. */
    protected abstract void assertNothingPendingLeftBehind() throws Exception;

    @BeforeEach
    void openStore() throws Exception {
        store = newStore();
    }

    @AfterEach
    void closeStore() throws Exception {
        if (store instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    protected static StoredFile metadataFor(FileKey key, byte[] content) {
        String hash;
        try {
            hash = HexFormat.of().withUpperCase().formatHex(java.security.MessageDigest.getInstance("MD5").digest(content));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
        return new StoredFile(UUID.randomUUID(), key, content.length, DataFormat.CSV, CompressionFormat.GZ,
                Digest.md5(hash), "sa-" + key.area().organization(), Instant.now().truncatedTo(ChronoUnit.MICROS));
    }

    protected CommitOutcome stage(FileKey key, byte[] content) {
        try (PendingFile pending = store.create(key)) {
            // written in several pieces, as uploads arrive
            int half = content.length / 2;
            pending.write(content, 0, half);
            pending.write(content, half, content.length - half);
            return pending.commit(metadataFor(key, content));
        }
    }

    protected static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private byte[] contentOf(FileKey key) throws IOException {
        try (InputStream in = store.open(key, ByteRange.WHOLE).orElseThrow().content()) {
            return in.readAllBytes();
        }
    }

    @Test
    void a_committed_file_is_found_listed_and_readable_with_its_metadata() throws IOException {
        FileKey key = new FileKey(AREA, "kttm-2019-08-20.json.gz");
        byte[] content = bytes("{\"a\":1}\n{\"a\":2}\n");

        CommitOutcome outcome = stage(key, content);

        assertThat(outcome).isInstanceOf(CommitOutcome.Committed.class);
        StoredFile committed = ((CommitOutcome.Committed) outcome).file();
        assertThat(store.find(key)).contains(committed);
        assertThat(store.list(AREA)).containsExactly(committed);
        assertThat(contentOf(key)).isEqualTo(content);
        assertThat(store.usedBytes(AREA)).isEqualTo(content.length);
    }

    @Test
    void metadata_round_trips_exactly_including_absent_formats() {
        FileKey key = new FileKey(AREA, "plain");
        StoredFile metadata = new StoredFile(UUID.randomUUID(), key, 3, null, null, Digest.md5("900150983CD24FB0D6963F7D28E17F72"),
                "user-1", Instant.parse("2022-02-03T00:21:18.164186Z"));
        try (PendingFile pending = store.create(key)) {
            pending.write(bytes("abc"), 0, 3);
            assertThat(pending.commit(metadata)).isEqualTo(new CommitOutcome.Committed(metadata));
        }
        assertThat(store.find(key)).contains(metadata);
    }

    @Test
    void a_file_being_written_is_invisible_until_committed() {
        FileKey key = new FileKey(AREA, "pending.csv");
        try (PendingFile pending = store.create(key)) {
            pending.write(bytes("a,b\n"), 0, 4);
            assertThat(store.find(key)).isEmpty();
            assertThat(store.list(AREA)).isEmpty();
            assertThat(store.open(key, ByteRange.WHOLE)).isEmpty();
            assertThat(store.usedBytes(AREA)).isZero();
        }
    }

    @Test
    void closing_without_commit_leaves_nothing_behind_and_the_name_free() throws Exception {
        FileKey key = new FileKey(AREA, "aborted.csv");
        try (PendingFile pending = store.create(key)) {
            pending.write(new byte[100_000], 0, 100_000);
        }

        assertThat(store.find(key)).isEmpty();
        assertThat(store.usedBytes(AREA)).isZero();
        assertNothingPendingLeftBehind();
        assertThat(stage(key, bytes("x"))).isInstanceOf(CommitOutcome.Committed.class);
    }

    @Test
    void a_second_commit_of_a_name_is_refused_and_the_first_file_stays_intact() throws IOException {
        FileKey key = new FileKey(AREA, "dup.csv");
        StoredFile first = ((CommitOutcome.Committed) stage(key, bytes("first"))).file();

        CommitOutcome second = stage(key, bytes("second, longer"));

        assertThat(second).isEqualTo(new CommitOutcome.AlreadyExists(first));
        assertThat(store.find(key)).contains(first);
        assertThat(contentOf(key)).isEqualTo(bytes("first"));
        assertThat(store.usedBytes(AREA)).isEqualTo(5);
    }

    @Test
    void of_concurrent_commits_of_one_name_exactly_one_wins_and_its_bytes_are_stored() throws Exception {
        FileKey key = new FileKey(AREA, "race.csv");
        int writers = 8;
        CountDownLatch ready = new CountDownLatch(writers);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<CommitOutcome>> results = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                byte[] content = bytes("writer " + i + " ".repeat(i * 1000));
                results.add(pool.submit((Callable<CommitOutcome>) () -> {
                    try (PendingFile pending = store.create(key)) {
                        pending.write(content, 0, content.length);
                        ready.countDown();
                        ready.await();
                        return pending.commit(metadataFor(key, content));
                    }
                }));
            }
            List<StoredFile> winners = new ArrayList<>();
            for (Future<CommitOutcome> result : results) {
                if (result.get() instanceof CommitOutcome.Committed committed) {
                    winners.add(committed.file());
                }
            }
            assertThat(winners).hasSize(1);
            StoredFile winner = winners.get(0);
            assertThat(store.find(key)).contains(winner);
            assertThat((long) contentOf(key).length).isEqualTo(winner.sizeBytes());
            assertThat(store.usedBytes(AREA)).isEqualTo(winner.sizeBytes());
        } finally {
            pool.shutdownNow();
        }
        assertNothingPendingLeftBehind();
    }

    @Test
    void of_concurrent_deletes_of_one_file_exactly_one_gets_it() throws Exception {
        FileKey key = new FileKey(AREA, "deleted-once.csv");
        int deleters = 8;
        for (int round = 0; round < 5; round++) {
            StoredFile staged = ((CommitOutcome.Committed) stage(key, bytes("round " + round))).file();
            CountDownLatch ready = new CountDownLatch(deleters);
            ExecutorService pool = Executors.newFixedThreadPool(deleters);
            try {
                List<Future<java.util.Optional<StoredFile>>> results = new ArrayList<>();
                for (int i = 0; i < deleters; i++) {
                    results.add(pool.submit(() -> {
                        ready.countDown();
                        ready.await();
                        return store.delete(key);
                    }));
                }
                List<StoredFile> deleted = new ArrayList<>();
                for (Future<java.util.Optional<StoredFile>> result : results) {
                    result.get().ifPresent(deleted::add);
                }
                assertThat(deleted).as("round %d", round).containsExactly(staged);
                assertThat(store.find(key)).isEmpty();
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void a_delete_of_one_version_never_removes_another() {
        FileKey key = new FileKey(AREA, "versioned.csv");
        StoredFile first = ((CommitOutcome.Committed) stage(key, bytes("first"))).file();

        assertThat(store.delete(key, java.util.UUID.randomUUID())).isEmpty();
        assertThat(store.find(key)).contains(first);
        assertThat(store.delete(key, first.id())).contains(first);
        assertThat(store.find(key)).isEmpty();

        StoredFile second = ((CommitOutcome.Committed) stage(key, bytes("second"))).file();
        assertThat(store.delete(key, first.id())).as("a delete meant for the replaced file").isEmpty();
        assertThat(store.find(key)).contains(second);
        assertThat(store.delete(new FileKey(AREA, "never-there"), second.id())).isEmpty();
    }

    @Test
    void delete_removes_the_file_frees_its_name_and_its_space() {
        FileKey key = new FileKey(AREA, "gone.csv");
        StoredFile staged = ((CommitOutcome.Committed) stage(key, bytes("abc"))).file();

        assertThat(store.delete(key)).contains(staged);

        assertThat(store.find(key)).isEmpty();
        assertThat(store.list(AREA)).isEmpty();
        assertThat(store.open(key, ByteRange.WHOLE)).isEmpty();
        assertThat(store.usedBytes(AREA)).isZero();
        assertThat(stage(key, bytes("again"))).isInstanceOf(CommitOutcome.Committed.class);
    }

    @Test
    void deleting_a_missing_file_answers_empty() {
        assertThat(store.delete(new FileKey(AREA, "never-there"))).isEmpty();
    }

    @Test
    void an_open_file_stays_readable_after_it_is_deleted() throws IOException {
        FileKey key = new FileKey(AREA, "read-while-deleted.csv");
        byte[] content = new byte[300_000];
        new java.util.Random(7).nextBytes(content);
        stage(key, content);
        try (InputStream in = store.open(key, ByteRange.WHOLE).orElseThrow().content()) {
            store.delete(key);
            assertThat(in.readAllBytes()).isEqualTo(content);
        }
    }

    private StoredContent read(FileKey key, ByteRange range) {
        return store.open(key, range).orElseThrow();
    }

    private static byte[] bytesOf(StoredContent opened) throws IOException {
        try (opened) {
            return opened.content().readAllBytes();
        }
    }

    @Test
    void a_range_reads_only_its_bytes_and_says_which() throws IOException {
        FileKey key = new FileKey(AREA, "ranged.csv");
        byte[] content = bytes("0123456789");
        stage(key, content);

        StoredContent first = read(key, new ByteRange.Span(0, 0));
        assertThat(first.slice()).isEqualTo(new ContentSlice.Part(0, 1, 10));
        assertThat(bytesOf(first)).isEqualTo(bytes("0"));
        assertThat(bytesOf(read(key, new ByteRange.Span(9, 9)))).isEqualTo(bytes("9"));
        assertThat(bytesOf(read(key, new ByteRange.Span(3, 5)))).isEqualTo(bytes("345"));
        StoredContent cut = read(key, new ByteRange.Span(7, 1_000));
        assertThat(cut.slice()).isEqualTo(new ContentSlice.Part(7, 3, 10));
        assertThat(bytesOf(cut)).isEqualTo(bytes("789"));
        assertThat(bytesOf(read(key, new ByteRange.From(6)))).isEqualTo(bytes("6789"));
        StoredContent suffix = read(key, new ByteRange.Suffix(4));
        assertThat(suffix.slice()).isEqualTo(new ContentSlice.Part(6, 4, 10));
        assertThat(bytesOf(suffix)).isEqualTo(bytes("6789"));
        assertThat(bytesOf(read(key, new ByteRange.Suffix(50)))).isEqualTo(content);
        StoredContent whole = read(key, ByteRange.WHOLE);
        assertThat(whole.slice()).isEqualTo(new ContentSlice.Whole(10));
        assertThat(whole.file()).isEqualTo(store.find(key).orElseThrow());
        assertThat(bytesOf(whole)).isEqualTo(content);
    }

    @Test
    void a_range_past_the_end_is_unsatisfiable_and_reads_nothing() throws IOException {
        FileKey key = new FileKey(AREA, "short.csv");
        stage(key, bytes("abc"));

        StoredContent past = read(key, new ByteRange.From(3));
        assertThat(past.slice()).isEqualTo(new ContentSlice.Unsatisfiable(3));
        assertThat(bytesOf(past)).isEmpty();
        assertThat(read(key, new ByteRange.Span(10, 20)).slice()).isEqualTo(new ContentSlice.Unsatisfiable(3));
        assertThat(read(key, new ByteRange.Suffix(0)).slice()).isEqualTo(new ContentSlice.Unsatisfiable(3));
    }

    @Test
    void any_range_of_an_empty_file_reads_the_whole_empty_file() throws IOException {
        FileKey key = new FileKey(AREA, "empty.csv");
        stage(key, new byte[0]);

        for (ByteRange range : List.of(ByteRange.WHOLE, new ByteRange.From(0), new ByteRange.Span(0, 99),
                new ByteRange.Suffix(5), new ByteRange.From(7))) {
            StoredContent opened = read(key, range);
            assertThat(opened.slice()).as(range.toString()).isEqualTo(new ContentSlice.Whole(0));
            assertThat(bytesOf(opened)).isEmpty();
        }
    }

    @Test
    void an_open_file_keeps_reading_its_version_when_the_name_is_uploaded_again() throws IOException {
        FileKey key = new FileKey(AREA, "replaced.csv");
        byte[] old = new byte[200_000];
        new java.util.Random(1).nextBytes(old);
        stage(key, old);
        StoredContent opened = read(key, new ByteRange.From(1));
        store.delete(key);
        byte[] replacement = new byte[200_000];
        new java.util.Random(2).nextBytes(replacement);
        stage(key, replacement);

        try (opened) {
            byte[] read = opened.content().readAllBytes();
            assertThat(read).isEqualTo(java.util.Arrays.copyOfRange(old, 1, old.length));
        } catch (IOException failedInstead) {
            // allowed by the contract: a read of a deleted version may fail, but never yields other bytes
        }
        StoredContent current = read(key, ByteRange.WHOLE);
        assertThat(current.file()).isNotEqualTo(opened.file());
        assertThat(bytesOf(current)).isEqualTo(replacement);
    }

    @Test
    void reads_racing_deletes_and_uploads_always_get_the_bytes_of_the_metadata_they_get() throws Exception {
        FileKey key = new FileKey(AREA, "churn.csv");
        stage(key, bytes("version 0 of the file\n"));
        ExecutorService threads = Executors.newFixedThreadPool(3);
        CountDownLatch readersStarted = new CountDownLatch(2);
        try {
            // the writer starts once both readers run, so they race it even on a store as fast as memory
            Future<Integer> writer = threads.submit(() -> {
                readersStarted.await();
                for (int version = 1; version <= 6; version++) {
                    store.delete(key);
                    stage(key, bytes("version " + version + " of the file, a bit longer each time " + "x".repeat(version) + "\n"));
                }
                return 6;
            });
            Callable<Integer> reader = () -> {
                readersStarted.countDown();
                int checked = 0;
                while (!writer.isDone() || checked == 0) {
                    var opened = store.open(key, ByteRange.WHOLE);
                    if (opened.isEmpty()) {
                        continue; // between a delete and the next upload
                    }
                    try {
                        byte[] read = bytesOf(opened.get());
                        assertThat(metadataFor(key, read).digest()).isEqualTo(opened.get().file().digest());
                        checked++;
                    } catch (IOException deletedWhileRead) {
                        // allowed: fails rather than mixing versions
                    }
                }
                return checked;
            };
            Future<Integer> first = threads.submit(reader);
            Future<Integer> second = threads.submit(reader);
            writer.get();
            assertThat(first.get() + second.get()).isPositive();
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void pages_continue_after_a_name_and_filter_by_glob() {
        for (String name : List.of("b.csv", "a.json", "C.csv", "d.csv", "e.parquet")) {
            stage(new FileKey(AREA, name), bytes(name));
        }
        stage(new FileKey(OTHER_PROJECT, "b2.csv"), bytes("elsewhere"));

        assertThat(store.listPage(AREA, null, 2, NameGlob.ANY)).extracting(StoredFile::name)
                .containsExactly("C.csv", "a.json");
        assertThat(store.listPage(AREA, "a.json", 2, NameGlob.ANY)).extracting(StoredFile::name)
                .containsExactly("b.csv", "d.csv");
        assertThat(store.listPage(AREA, "b", 10, NameGlob.ANY)).extracting(StoredFile::name)
                .as("after a name that is not staged").containsExactly("b.csv", "d.csv", "e.parquet");
        assertThat(store.listPage(AREA, "a.json", 2, new NameGlob("*.csv"))).extracting(StoredFile::name)
                .containsExactly("b.csv", "d.csv");
        assertThat(store.listPage(AREA, "e.parquet", 5, NameGlob.ANY)).isEmpty();
    }

    @Test
    void direct_reads_are_offered_as_declared_and_read_exactly_their_version() throws Exception {
        assertThat(store.directReads().isPresent()).isEqualTo(offersDirectReads());
        if (!offersDirectReads()) {
            return; // nothing more to hold a store without the capability to
        }
        FileKey key = new FileKey(AREA, "direct.csv");
        byte[] content = bytes("id,value\n1,one\n2,two\n");
        StoredFile file = ((CommitOutcome.Committed) stage(key, content)).file();
        var directReads = store.directReads().orElseThrow();
        java.net.URI url = directReads.urlFor(file, java.time.Duration.ofMinutes(1),
                java.util.Map.of("Content-Type", "text/csv", "Content-Disposition", "attachment; filename=\"direct.csv\""))
                .orElseThrow();
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();

        var ranged = client.send(java.net.http.HttpRequest.newBuilder(url).header("Range", "bytes=9-").build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertThat(ranged.statusCode()).isEqualTo(206);
        assertThat(ranged.body()).isEqualTo(java.util.Arrays.copyOfRange(content, 9, content.length));
        assertThat(ranged.headers().firstValue("Content-Type")).contains("text/csv");
        assertThat(ranged.headers().firstValue("Content-Disposition")).contains("attachment; filename=\"direct.csv\"");

        var current = directReads.current(key, java.time.Duration.ofMinutes(1), found -> java.util.Map.of()).orElseThrow();
        assertThat(current.file()).isEqualTo(file);
        assertThat(client.send(java.net.http.HttpRequest.newBuilder(current.url()).build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray()).body()).isEqualTo(content);

        store.delete(key);
        stage(key, bytes("another version\n"));
        assertThat(directReads.urlFor(file, java.time.Duration.ofMinutes(1), java.util.Map.of()))
                .as("the old version is gone").isEmpty();
        assertThat(directReads.current(key, java.time.Duration.ofMinutes(1), found -> java.util.Map.of())
                .orElseThrow().file().id()).as("the current version is the new one").isNotEqualTo(file.id());
        assertThat(directReads.current(new FileKey(AREA, "absent.csv"), java.time.Duration.ofMinutes(1),
                found -> java.util.Map.of())).isEmpty();
        assertThat(client.send(java.net.http.HttpRequest.newBuilder(url).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode())
                .as("a URL of a deleted version reads nothing").isEqualTo(404);
    }

    @Test
    void listing_is_ordered_by_name_and_confined_to_its_area() {
        stage(new FileKey(AREA, "b.csv"), bytes("b"));
        stage(new FileKey(AREA, "a.csv"), bytes("a"));
        stage(new FileKey(AREA, "C.csv"), bytes("c"));
        stage(new FileKey(OTHER_PROJECT, "a.csv"), bytes("other project"));
        stage(new FileKey(OTHER_ORG, "a.csv"), bytes("other org"));

        assertThat(store.list(AREA)).extracting(StoredFile::name).containsExactly("C.csv", "a.csv", "b.csv");
        assertThat(store.list(OTHER_PROJECT)).extracting(StoredFile::name).containsExactly("a.csv");
        assertThat(store.usedBytes(OTHER_ORG)).isEqualTo(9);
        assertThat(store.find(new FileKey(OTHER_ORG, "b.csv"))).isEmpty();
    }

    @Test
    void names_are_opaque_and_round_trip_exactly() throws IOException {
        List<String> names = List.of("with space %20 and %.csv", "ünïcödé-数据.json", "..", "../../escape", "a\\b",
                "x".repeat(255), ".hidden", "CON");
        for (String name : names) {
            assertThat(stage(new FileKey(AREA, name), bytes(name))).isInstanceOf(CommitOutcome.Committed.class);
        }
        assertThat(store.list(AREA)).extracting(StoredFile::name).containsExactlyInAnyOrderElementsOf(names);
        for (String name : names) {
            assertThat(contentOf(new FileKey(AREA, name))).isEqualTo(bytes(name));
        }
    }

    @Test
    void an_empty_file_can_be_staged() throws IOException {
        FileKey key = new FileKey(AREA, "empty.csv");
        assertThat(stage(key, new byte[0])).isInstanceOf(CommitOutcome.Committed.class);
        assertThat(contentOf(key)).isEmpty();
    }

    @Test
    void committed_files_survive_a_restart_and_pending_ones_do_not() throws Exception {
        FileKey kept = new FileKey(AREA, "kept.csv");
        StoredFile staged = ((CommitOutcome.Committed) stage(kept, bytes("kept"))).file();
        PendingFile abandoned = store.create(new FileKey(AREA, "abandoned.csv"));
        abandoned.write(bytes("half"), 0, 4);
        // the pending file is never closed: as if the process died mid-upload

        StagingStore reopened = reopen(store);
        if (reopened == null) {
            return; // a store that keeps nothing across restarts has nothing to prove here
        }
        store = reopened;

        assertThat(store.find(kept)).contains(staged);
        assertThat(contentOf(kept)).isEqualTo(bytes("kept"));
        assertThat(store.list(AREA)).containsExactly(staged);
        assertNothingPendingLeftBehind();
    }

    private ResumableUploads resumable() {
        return store.uploads();
    }

    private static UploadTicket ticket(String id, FileKey key, long length, Instant expires) {
        return new UploadTicket(id, key, length, java.util.Map.of("filename", key.name()),
                dev.filestaging.ports.out.DeclaredContent.NOTHING, "sa-acme",
                Instant.now().truncatedTo(ChronoUnit.MILLIS), expires);
    }

    private static final Instant LATER = Instant.now().plus(java.time.Duration.ofDays(1));

    private ResumableFile writing(String id) {
        return ((ResumableUploads.Opened.Writing) resumable().openForWriting(id)).file();
    }

    @Test
    void resumable_uploads_reserve_their_name_until_they_end() throws Exception {
        FileKey key = new FileKey(AREA, "reserved.csv");
        assertThat(resumable().reserve(ticket("upload-0000000000001", key, 4, LATER))).isPresent();

        assertThat(resumable().isReserved(key)).isTrue();
        assertThat(resumable().heldBytes(AREA)).as("a declared length is held against the quota").isEqualTo(4);
        assertThat(resumable().openCount()).isEqualTo(1);
        assertThat(store.usedBytes(AREA)).isZero();
        assertThat(resumable().reserve(ticket("upload-0000000000002", key, 4, LATER))).as("one upload per name").isEmpty();
        assertThat(stage(key, bytes("taken"))).as("a one-request upload of the reserved name")
                .isInstanceOf(CommitOutcome.AlreadyExists.class);
        assertThat(store.find(key)).isEmpty();
        stage(new FileKey(AREA, "staged.csv"), bytes("x"));
        assertThat(resumable().reserve(ticket("upload-0000000000003", new FileKey(AREA, "staged.csv"), 1, LATER)))
                .as("the name of a staged file").isEmpty();

        try (ResumableFile file = writing("upload-0000000000001")) {
            file.terminate();
        }
        assertThat(resumable().status("upload-0000000000001")).isEmpty();
        assertThat(resumable().staged("upload-0000000000001")).as("a terminated upload was not staged").isEmpty();
        assertThat(resumable().isReserved(key)).isFalse();
        assertThat(resumable().heldBytes(AREA)).isZero();
        assertThat(resumable().openCount()).as("a terminated upload is not open").isZero();
        assertThat(stage(key, bytes("free"))).isInstanceOf(CommitOutcome.Committed.class);
        assertNothingPendingLeftBehind();
    }

    @Test
    void a_resumable_upload_keeps_what_was_synced_takes_back_the_rest_and_has_one_writer() throws Exception {
        FileKey key = new FileKey(AREA, "resumed.csv");
        resumable().reserve(ticket("upload-0000000000004", key, 12, LATER));
        try (ResumableFile file = writing("upload-0000000000004")) {
            assertThat(resumable().openForWriting("upload-0000000000004"))
                    .isInstanceOf(ResumableUploads.Opened.Busy.class);
            file.write(bytes("abcd"), 0, 4);
            assertThat(file.sync()).isEqualTo(4);
            file.write(bytes("XXXX"), 0, 4);
            file.rollback();
            file.write(bytes("efgh"), 0, 4);
            file.sync();
            file.write(bytes("lost"), 0, 4); // never synced: the writer goes away
        }
        assertThat(resumable().status("upload-0000000000004").orElseThrow().offset()).isEqualTo(8);

        try (ResumableFile file = writing("upload-0000000000004")) {
            assertThat(file.offset()).isEqualTo(8);
            assertThat(file.readDurable().readAllBytes()).isEqualTo(bytes("abcdefgh"));
            file.write(bytes("ijkl"), 0, 4);
            file.sync();
            assertThat(store.find(key)).as("nothing is visible before the commit").isEmpty();
            assertThat(store.usedBytes(AREA)).isZero();
            StoredFile metadata = metadataFor(key, bytes("abcdefghijkl"));
            assertThat(file.commit(metadata)).isEqualTo(new CommitOutcome.Committed(metadata));
        }
        assertThat(contentOf(key)).isEqualTo(bytes("abcdefghijkl"));
        assertThat(resumable().status("upload-0000000000004")).isEmpty();
        assertThat(resumable().staged("upload-0000000000004")).as("a committed upload is remembered")
                .map(UploadTicket::key).contains(key);
        assertThat(resumable().isReserved(key)).isFalse();
        assertThat(resumable().openForWriting("upload-0000000000004")).isInstanceOf(ResumableUploads.Opened.Gone.class);
        assertThat(resumable().openCount()).as("a committed upload is not open").isZero();
        assertNothingPendingLeftBehind();
    }

    @Test
    void expired_uploads_end_and_free_their_names_and_live_ones_stay() throws Exception {
        Instant now = Instant.now();
        resumable().reserve(ticket("upload-0000000000005", new FileKey(AREA, "old.csv"), UploadTicket.DEFERRED,
                now.minusSeconds(1)));
        resumable().reserve(ticket("upload-0000000000006", new FileKey(AREA, "live.csv"), UploadTicket.DEFERRED, LATER));
        try (ResumableFile file = writing("upload-0000000000005")) {
            file.write(bytes("old"), 0, 3);
            file.sync();
        }
        assertThat(resumable().heldBytes(AREA)).as("a deferred length holds what arrived, at least the minimum")
                .isEqualTo(2 * UploadTicket.DEFERRED_MINIMUM_HOLD);
        assertThat(resumable().openCount(AREA)).isEqualTo(2);
        assertThat(resumable().openCount(new dev.filestaging.ports.StagingArea(AREA.organization(), new dev.filestaging.ports.ProjectId("elsewhere"))))
                .isZero();
        try (ResumableFile file = writing("upload-0000000000005")) {
            file.declareLength(3);
            file.sync(); // no new bytes: the declaration alone is recorded
        }
        assertThat(resumable().status("upload-0000000000005").orElseThrow().ticket().length()).isEqualTo(3);

        assertThat(resumable().expire(now)).extracting(UploadTicket::id).containsExactly("upload-0000000000005");

        assertThat(resumable().status("upload-0000000000005")).isEmpty();
        assertThat(resumable().isReserved(new FileKey(AREA, "old.csv"))).isFalse();
        assertThat(resumable().status("upload-0000000000006")).isPresent();
        assertThat(resumable().status("upload-0000000000006").orElseThrow().ticket().lengthDeferred()).isTrue();
        assertThat(resumable().heldBytes(AREA)).isEqualTo(UploadTicket.DEFERRED_MINIMUM_HOLD);
    }

    @Test
    void a_commit_makes_the_unsynced_last_bytes_durable_with_the_file_and_never_records_the_full_offset()
            throws Exception {
        FileKey key = new FileKey(AREA, "last-bytes.csv");
        resumable().reserve(ticket("upload-0000000000008", key, 10, LATER));
        try (ResumableFile file = writing("upload-0000000000008")) {
            file.write(bytes("12345"), 0, 5);
            assertThat(file.sync()).isEqualTo(5);
            file.write(bytes("67890"), 0, 5);
            StoredFile metadata = metadataFor(key, bytes("1234567890"));
            assertThat(file.commit(metadata)).isEqualTo(new CommitOutcome.Committed(metadata));
        }
        assertThat(contentOf(key)).isEqualTo(bytes("1234567890"));
        assertThat(resumable().status("upload-0000000000008")).isEmpty();
        assertThat(resumable().staged("upload-0000000000008")).map(UploadTicket::length).contains(10L);
        assertNothingPendingLeftBehind();
    }

    @Test
    void unsynced_bytes_and_an_unsynced_declaration_are_gone_once_the_writer_lets_go() throws Exception {
        FileKey key = new FileKey(AREA, "let-go.csv");
        resumable().reserve(ticket("upload-0000000000009", key, UploadTicket.DEFERRED, LATER));
        try (ResumableFile file = writing("upload-0000000000009")) {
            file.write(bytes("abc"), 0, 3);
            file.sync();
            file.declareLength(9);
            file.write(bytes("def"), 0, 3); // a write that failed half-way, say: the writer closes without a sync
        }
        try (ResumableFile file = writing("upload-0000000000009")) {
            assertThat(file.offset()).isEqualTo(3);
            assertThat(file.ticket().lengthDeferred()).as("the declaration went with the unsynced bytes").isTrue();
            assertThat(file.readDurable().readAllBytes()).isEqualTo(bytes("abc"));
            file.write(bytes("xyz"), 0, 3);
            file.declareLength(6);
            file.rollback();
            assertThat(file.ticket().lengthDeferred()).isTrue();
            file.write(bytes("ghi"), 0, 3);
            StoredFile metadata = metadataFor(key, bytes("abcghi"));
            assertThat(file.commit(metadata)).isEqualTo(new CommitOutcome.Committed(metadata));
        }
        assertThat(contentOf(key)).isEqualTo(bytes("abcghi"));
        assertNothingPendingLeftBehind();
    }

    @Test
    void a_resumable_upload_survives_a_restart_at_its_last_synced_offset() throws Exception {
        FileKey key = new FileKey(AREA, "durable.csv");
        resumable().reserve(ticket("upload-0000000000007", key, UploadTicket.DEFERRED, LATER));
        ResumableFile file = writing("upload-0000000000007");
        file.write(bytes("12345"), 0, 5);
        file.sync();
        file.declareLength(10);
        file.write(bytes("678"), 0, 3); // as if the process died mid-append: never synced, never closed
        assertThat(file.ticket().length()).isEqualTo(10);

        StagingStore reopened = reopen(store);
        if (reopened == null) {
            return;
        }
        store = reopened;

        var status = resumable().status("upload-0000000000007").orElseThrow();
        assertThat(status.offset()).isEqualTo(5);
        assertThat(status.ticket().lengthDeferred()).as("declared with bytes that never became durable").isTrue();
        assertThat(resumable().isReserved(key)).isTrue();
        try (ResumableFile again = writing("upload-0000000000007")) {
            assertThat(again.readDurable().readAllBytes()).isEqualTo(bytes("12345"));
            again.write(bytes("67890"), 0, 5);
            again.sync();
            again.commit(metadataFor(key, bytes("1234567890")));
        }
        assertThat(contentOf(key)).isEqualTo(bytes("1234567890"));

        StagingStore restarted = reopen(store);
        store = restarted;
        assertThat(resumable().staged("upload-0000000000007")).as("remembered across a restart")
                .map(UploadTicket::key).contains(key);
        assertThat(resumable().expire(LATER.plusSeconds(1))).as("a staged upload is not expired: it holds nothing")
                .isEmpty();
        assertThat(resumable().staged("upload-0000000000007")).as("forgotten once its ticket expired").isEmpty();
        assertNothingPendingLeftBehind();
    }
}
