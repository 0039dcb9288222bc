package dev.filestaging.ports.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.filestaging.ports.CompressionFormat;
import dev.filestaging.ports.DataFormat;
import dev.filestaging.ports.Digest;
import dev.filestaging.ports.FileKey;
import dev.filestaging.ports.NameGlob;
import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.ProjectId;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.StoredFile;
import dev.filestaging.ports.events.Change;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link Catalog} contract, clause by clause of its Javadoc, run unchanged against every implementation.
 * Subclasses give a fresh, empty catalog and a second instance on the same storage (as another process would open
 * it), which the cross-instance cases and races use. Lease lapses are waited for in real time: leases in these tests
 * are granted for {@link #shortLease()}.
 */
public abstract class CatalogContractTest {

    protected static final StagingArea AREA = StagingArea.defaultProjectOf(new OrganizationId("acme"));
    protected static final StagingArea OTHER_PROJECT = new StagingArea(new OrganizationId("acme"), new ProjectId("p2"));
    protected static final StagingArea OTHER_ORG = StagingArea.defaultProjectOf(new OrganizationId("globex"));
    /** Nanoseconds included: a catalog must give back the instant it was given. */
    protected static final Instant UPLOADED_ON = Instant.parse("2026-12-07T10:15:30.123456789Z");
    protected static final Duration LONG_LEASE = Duration.ofMinutes(5);

    protected Catalog catalog;
    private final List<Catalog> opened = new ArrayList<>();

    /** A new catalog on new, empty storage. */
    protected abstract Catalog newCatalog() throws Exception;

    /** Another catalog instance on the storage of the last {@link #newCatalog}, as another process would open it. */
    protected abstract Catalog sameStorage() throws Exception;

    /** How long the leases that tests let lapse are granted for; the tests wait twice as long for them to lapse. */
    protected Duration shortLease() {
        return Duration.ofMillis(300);
    }

    @BeforeEach
    void openCatalog() throws Exception {
        catalog = newCatalog();
        opened.add(catalog);
    }

    @AfterEach
    void closeCatalogs() throws Exception {
        for (Catalog each : opened) {
            if (each instanceof AutoCloseable closeable) {
                closeable.close();
            }
        }
    }

    /** A second instance, closed after the test. */
    protected Catalog second() throws Exception {
        Catalog other = sameStorage();
        opened.add(other);
        return other;
    }

    // ---- values ----

    protected static String newId() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    protected static StoredFile stored(StagingArea area, String name, long size) {
        return new StoredFile(UUID.randomUUID(), new FileKey(area, name), size, DataFormat.ND_JSON, CompressionFormat.GZ,
                Digest.md5("62D2E215B5A7AD5A0E3C6C1B8E3F1A2B"), "sa-" + area.organization(), UPLOADED_ON);
    }

    protected static CatalogFile file(StagingArea area, String name, long size) {
        return new CatalogFile(stored(area, name, size), "blob" + newId());
    }

    protected static UploadTicket ticket(StagingArea area, String name, long length) {
        return ticket(area, name, length, Instant.parse("2026-12-08T10:15:30.987654321Z"));
    }

    protected static UploadTicket ticket(StagingArea area, String name, long length, Instant expires) {
        return new UploadTicket("up" + newId(), new FileKey(area, name), length,
                Map.of("filename", name, "note", "ünïcödé, \"quoted\", a \u0000 and\nnew lines", "empty", ""),
                // every declaration, and a media type no enum knows: kept as given
                new dev.filestaging.ports.out.DeclaredContent(dev.filestaging.ports.DataFormat.CSV,
                        dev.filestaging.ports.CompressionFormat.GZ, "text/csv; charset=\"ünï\""),
                "sa-" + area.organization(),
                Instant.parse("2026-12-07T10:15:30.000000001Z"), expires);
    }

    protected static CatalogFile committed(FileCommit outcome) {
        assertThat(outcome).isInstanceOf(FileCommit.Committed.class);
        return ((FileCommit.Committed) outcome).file();
    }

    protected CatalogFile commitNew(StagingArea area, String name, long size) {
        return committed(catalog.commit(file(area, name, size), Catalog.NO_LIMIT));
    }

    protected UploadEntry reserveNew(UploadTicket ticket) {
        Reservation outcome = catalog.reserve(ticket, "blob" + newId(), BlobCheckpoint.start(), Catalog.NO_LIMIT,
                Catalog.NO_LIMIT);
        assertThat(outcome).isInstanceOf(Reservation.Reserved.class);
        return ((Reservation.Reserved) outcome).upload();
    }

    protected Lease leased(Catalog on, String uploadId, Duration duration) {
        LeaseOutcome outcome = on.lease(uploadId, duration);
        assertThat(outcome).isInstanceOf(LeaseOutcome.Leased.class);
        return ((LeaseOutcome.Leased) outcome).lease();
    }

    protected void waitForLapse() throws InterruptedException {
        Thread.sleep(shortLease().multipliedBy(2).toMillis());
    }

    private static List<String> names(List<CatalogFile> files) {
        return files.stream().map(f -> f.file().name()).toList();
    }

    // ---- files: find, page, usage ----

    @Test
    void a_committed_file_is_found_with_its_metadata_and_blob_exactly_and_counted() {
        CatalogFile file = new CatalogFile(new StoredFile(UUID.randomUUID(), new FileKey(AREA, "plain"), 3, null, null,
                Digest.md5("900150983CD24FB0D6963F7D28E17F72"), "user-1", UPLOADED_ON), "blob" + newId());

        FileCommit outcome = catalog.commit(file, Catalog.NO_LIMIT);

        assertThat(committed(outcome)).isEqualTo(file);
        assertThat(catalog.find(new FileKey(AREA, "plain"))).contains(file);
        assertThat(catalog.find(new FileKey(AREA, "other"))).isEmpty();
        assertThat(catalog.usage(AREA)).isEqualTo(new AreaUsage(3, 1, 0, 0));
    }

    @Test
    void an_area_never_used_has_empty_usage_and_no_files() {
        assertThat(catalog.usage(AREA)).isEqualTo(AreaUsage.EMPTY);
        assertThat(catalog.page(AREA, null, 10, NameGlob.ANY)).isEmpty();
        assertThat(catalog.changes(AREA, 0, 10).entries()).isEmpty();
    }

    @Test
    void areas_never_see_each_others_names_files_or_usage() {
        CatalogFile mine = commitNew(AREA, "same.csv", 10);
        CatalogFile otherProject = commitNew(OTHER_PROJECT, "same.csv", 20);
        CatalogFile otherOrg = commitNew(OTHER_ORG, "same.csv", 30);

        assertThat(catalog.find(new FileKey(AREA, "same.csv"))).contains(mine);
        assertThat(catalog.find(new FileKey(OTHER_PROJECT, "same.csv"))).contains(otherProject);
        assertThat(catalog.page(OTHER_ORG, null, 10, NameGlob.ANY)).containsExactly(otherOrg);
        assertThat(catalog.usage(AREA)).isEqualTo(new AreaUsage(10, 1, 0, 0));
        assertThat(catalog.usage(OTHER_PROJECT)).isEqualTo(new AreaUsage(20, 1, 0, 0));
        assertThat(catalog.changes(OTHER_ORG, 0, 10).entries()).extracting(Change::sequence).containsExactly(1L);
    }

    @Test
    void pages_are_ordered_as_java_strings_compare_utf16_code_units() {
        // U+FF21 (fullwidth A) sorts after U+1F600 (an emoji, surrogates D83D DE00) in UTF-16, before it in UTF-8 or
        // code point order; upper case before lower case; a prefix before its extensions
        List<String> names = List.of("b", "B", "a", "ab", "a-b", "é", "\uFF21", "\uD83D\uDE00", "Z", "0", "a.csv");
        names.forEach(name -> commitNew(AREA, name, 1));

        List<String> expected = names.stream().sorted().toList();

        assertThat(names(catalog.page(AREA, null, 100, NameGlob.ANY))).isEqualTo(expected);
    }

    @Test
    void a_page_starts_after_the_name_given_and_holds_at_most_the_limit() {
        IntStream.range(0, 25).forEach(i -> commitNew(AREA, String.format("f%03d", i), 1));

        assertThat(names(catalog.page(AREA, null, 10, NameGlob.ANY))).hasSize(10).startsWith("f000").endsWith("f009");
        assertThat(names(catalog.page(AREA, "f009", 10, NameGlob.ANY))).hasSize(10).startsWith("f010").endsWith("f019");
        assertThat(names(catalog.page(AREA, "f019", 10, NameGlob.ANY))).containsExactly("f020", "f021", "f022",
                "f023", "f024");
        assertThat(catalog.page(AREA, "f024", 10, NameGlob.ANY)).isEmpty();
        // "after" need not be a name that exists
        assertThat(names(catalog.page(AREA, "f0105", 2, NameGlob.ANY))).containsExactly("f011", "f012");
    }

    @Test
    void a_page_holds_only_names_matching_the_glob_and_fills_up_past_names_it_skips() {
        IntStream.range(0, 300).forEach(i -> commitNew(AREA, String.format("n%03d.%s", i, i % 30 == 0 ? "csv" : "json"),
                1));

        List<String> first = names(catalog.page(AREA, null, 4, new NameGlob("*.csv")));
        List<String> next = names(catalog.page(AREA, first.get(3), 100, new NameGlob("*.csv")));

        assertThat(first).containsExactly("n000.csv", "n030.csv", "n060.csv", "n090.csv");
        assertThat(next).containsExactly("n120.csv", "n150.csv", "n180.csv", "n210.csv", "n240.csv", "n270.csv");
        assertThat(catalog.page(AREA, null, 10, new NameGlob("*.parquet"))).isEmpty();
    }

    @Test
    void usage_stays_exact_through_commits_and_deletes() {
        CatalogFile a = commitNew(AREA, "a", 100);
        commitNew(AREA, "b", 250);
        assertThat(catalog.usage(AREA)).isEqualTo(new AreaUsage(350, 2, 0, 0));

        catalog.delete(a.file().key(), Optional.empty());
        assertThat(catalog.usage(AREA)).isEqualTo(new AreaUsage(250, 1, 0, 0));

        catalog.delete(new FileKey(AREA, "b"), Optional.empty());
        assertThat(catalog.usage(AREA)).isEqualTo(new AreaUsage(0, 0, 0, 0));
    }

    // ---- files: commit ----

    @Test
    void a_commit_of_a_taken_name_is_refused_with_the_file_that_holds_it_and_nothing_changes() {
        CatalogFile first = commitNew(AREA, "dup.csv", 5);

        FileCommit second = catalog.commit(file(AREA, "dup.csv", 50), Catalog.NO_LIMIT);

        assertThat(second).isEqualTo(new FileCommit.NameTaken(Optional.of(first.file())));
        assertThat(catalog.find(first.file().key())).contains(first);
        assertThat(catalog.usage(AREA)).isEqualTo(new AreaUsage(5, 1, 0, 0));
        assertThat(catalog.changes(AREA, 0, 10).entries()).hasSize(1);
    }

    @Test
    void a_commit_of_a_name_an_open_upload_holds_is_refused_without_a_file() {
        reserveNew(ticket(AREA, "reserved.csv", 10));

        FileCommit outcome = catalog.commit(file(AREA, "reserved.csv", 5), Catalog.NO_LIMIT);

        assertThat(outcome).isEqualTo(new FileCommit.NameTaken(Optional.empty()));
        assertThat(catalog.find(new FileKey(AREA, "reserved.csv"))).isEmpty();
        assertThat(catalog.usage(AREA)).isEqualTo(new AreaUsage(0, 0, 10, 1));
        assertThat(catalog.changes(AREA, 0, 10).entries()).isEmpty();
    }

    @Test
    void a_commit_may_fill_the_limit_exactly_but_not_pass_it_counting_what_uploads_hold() {
        commitNew(AREA, "a", 600);
        reserveNew(ticket(AREA, "upload", 300));

        FileCommit over = catalog.commit(file(AREA, "b", 101), 1000);
        assertThat(over).isEqualTo(new FileCommit.OverLimit(new AreaUsage(600, 1, 300, 1)));
        assertThat(catalog.find(new FileKey(AREA, "b"))).isEmpty();
        assertThat(catalog.changes(AREA, 0, 10).entries()).hasSize(1);

        committed(catalog.commit(file(AREA, "b", 100), 1000));
        assertThat(catalog.usage(AREA)).isEqualTo(new AreaUsage(700, 2, 300, 1));
    }

    @Test
    void a_commit_with_no_limit_does_not_overflow() {
        commitNew(AREA, "a", Long.MAX_VALUE / 2);
        committed(catalog.commit(file(AREA, "b", Long.MAX_VALUE / 4), Catalog.NO_LIMIT));
    }

    // ---- files: delete ----

    @Test
    void a_delete_removes_the_file_and_answers_it_with_its_change() {
        CatalogFile file = commitNew(AREA, "gone.csv", 7);

        Optional<Catalog.Removed> removed = catalog.delete(file.file().key(), Optional.empty());

        assertThat(removed).isPresent();
        assertThat(removed.get().file()).isEqualTo(file);
        assertThat(removed.get().change().kind()).isEqualTo(Change.Kind.DELETED);
        assertThat(removed.get().change().file()).isEqualTo(file.file());
        assertThat(removed.get().change().sequence()).isEqualTo(2);
        assertThat(catalog.find(file.file().key())).isEmpty();
        assertThat(catalog.delete(file.file().key(), Optional.empty())).isEmpty();
        assertThat(catalog.changes(AREA, 0, 10).entries()).hasSize(2);
        // the name is free again
        commitNew(AREA, "gone.csv", 1);
    }

    @Test
    void a_delete_of_a_version_removes_only_that_version() {
        CatalogFile file = commitNew(AREA, "versioned.csv", 7);

        assertThat(catalog.delete(file.file().key(), Optional.of(UUID.randomUUID()))).isEmpty();
        assertThat(catalog.find(file.file().key())).contains(file);
        assertThat(catalog.usage(AREA)).isEqualTo(new AreaUsage(7, 1, 0, 0));
        assertThat(catalog.changes(AREA, 0, 10).entries()).hasSize(1);

        assertThat(catalog.delete(file.file().key(), Optional.of(file.file().id()))).map(Catalog.Removed::file)
                .contains(file);
        assertThat(catalog.find(file.file().key())).isEmpty();
    }

    @Test
    void a_delete_of_a_missing_file_or_of_a_name_an_upload_holds_changes_nothing() {
        reserveNew(ticket(AREA, "reserved.csv", 10));

        assertThat(catalog.delete(new FileKey(AREA, "missing"), Optional.empty())).isEmpty();
        assertThat(catalog.delete(new FileKey(AREA, "reserved.csv"), Optional.empty())).isEmpty();
        assertThat(catalog.isReserved(new FileKey(AREA, "reserved.csv"))).isTrue();
        assertThat(catalog.changes(AREA, 0, 10).entries()).isEmpty();
    }

    // ---- change log ----

    @Test
    void the_change_log_numbers_commits_and_deletes_from_one_with_their_kinds_and_files() {
        Instant before = Instant.now().minusSeconds(60);
        CatalogFile a = commitNew(AREA, "a", 1);
        FileCommit b = catalog.commit(file(AREA, "b", 2), Catalog.NO_LIMIT);
        Change deleted = catalog.delete(a.file().key(), Optional.empty()).orElseThrow().change();
        CatalogFile c = commitNew(AREA, "c", 3);
        commitNew(OTHER_PROJECT, "x", 1);

        List<Change> log = catalog.changes(AREA, 0, 100).entries();

        assertThat(log).extracting(Change::sequence).containsExactly(1L, 2L, 3L, 4L);
        assertThat(log).extracting(Change::kind).containsExactly(Change.Kind.COMMITTED, Change.Kind.COMMITTED,
                Change.Kind.DELETED, Change.Kind.COMMITTED);
        assertThat(log).extracting(Change::file).containsExactly(a.file(), committed(b).file(), a.file(), c.file());
        assertThat(log.get(1)).isEqualTo(((FileCommit.Committed) b).change());
        assertThat(log.get(2)).isEqualTo(deleted);
        assertThat(log).allSatisfy(change -> assertThat(change.at()).isBetween(before, Instant.now().plusSeconds(60)));
        assertThat(catalog.changes(AREA, 2, 1).entries()).extracting(Change::sequence).containsExactly(3L);
        assertThat(catalog.changes(AREA, 4, 10).entries()).isEmpty();
        assertThat(catalog.changes(OTHER_PROJECT, 0, 10).entries()).extracting(Change::sequence).containsExactly(1L);
    }

    @Test
    void refused_commits_and_deletes_leave_no_entry() {
        CatalogFile a = commitNew(AREA, "a", 10);
        catalog.commit(file(AREA, "a", 1), Catalog.NO_LIMIT);
        catalog.commit(file(AREA, "big", 1000), 100);
        catalog.delete(new FileKey(AREA, "missing"), Optional.empty());
        catalog.delete(a.file().key(), Optional.of(UUID.randomUUID()));
        CatalogFile b = commitNew(AREA, "b", 1);

        assertThat(catalog.changes(AREA, 0, 10).entries()).extracting(Change::sequence).containsExactly(1L, 2L);
        assertThat(catalog.changes(AREA, 0, 10).entries().get(1).file()).isEqualTo(b.file());
    }

    // ---- uploads: reserve ----

    @Test
    void a_reserved_upload_is_recorded_at_offset_zero_and_holds_its_name_and_its_length() {
        UploadTicket ticket = ticket(AREA, "big.parquet", 5000);
        String blobId = "blob" + newId();
        // a blob store's state is opaque: any characters
        BlobCheckpoint start = new BlobCheckpoint(0, "multipart-id=abc\u0000\u00e9\uD83D\uDE00");

        Reservation outcome = catalog.reserve(ticket, blobId, start, Catalog.NO_LIMIT, Catalog.NO_LIMIT);

        UploadEntry expected = new UploadEntry(ticket, blobId, start);
        assertThat(outcome).isEqualTo(new Reservation.Reserved(expected));
        assertThat(catalog.upload(ticket.id())).contains(expected);
        assertThat(catalog.isReserved(ticket.key())).isTrue();
        assertThat(catalog.isReserved(new FileKey(OTHER_PROJECT, "big.parquet"))).isFalse();
        assertThat(catalog.usage(AREA)).isEqualTo(new AreaUsage(0, 0, 5000, 1));
        assertThat(catalog.openUploads()).isEqualTo(1);
        assertThat(catalog.upload("up" + newId())).isEmpty();
        assertThat(catalog.page(AREA, null, 10, NameGlob.ANY)).isEmpty();
    }

    @Test
    void a_deferred_length_upload_holds_the_minimum() {
        UploadEntry entry = reserveNew(ticket(AREA, "stream.json", UploadTicket.DEFERRED));

        assertThat(entry.ticket().lengthDeferred()).isTrue();
        assertThat(catalog.usage(AREA).heldBytes()).isEqualTo(UploadTicket.DEFERRED_MINIMUM_HOLD);
    }

    @Test
    void open_uploads_are_counted_in_every_area() {
        reserveNew(ticket(AREA, "a", 1));
        reserveNew(ticket(OTHER_PROJECT, "a", 1));
        reserveNew(ticket(OTHER_ORG, "a", 1));

        assertThat(catalog.openUploads()).isEqualTo(3);
        assertThat(catalog.usage(AREA).openUploads()).isEqualTo(1);
    }

    @Test
    void a_reservation_of_a_name_held_by_a_file_or_an_upload_is_refused() {
        commitNew(AREA, "file.csv", 1);
        reserveNew(ticket(AREA, "upload.csv", 10));

        assertThat(catalog.reserve(ticket(AREA, "file.csv", 5), "blob" + newId(), BlobCheckpoint.start(),
                Catalog.NO_LIMIT, Catalog.NO_LIMIT)).isEqualTo(new Reservation.NameTaken());
        assertThat(catalog.reserve(ticket(AREA, "upload.csv", 5), "blob" + newId(), BlobCheckpoint.start(),
                Catalog.NO_LIMIT, Catalog.NO_LIMIT)).isEqualTo(new Reservation.NameTaken());
        assertThat(catalog.usage(AREA)).isEqualTo(new AreaUsage(1, 1, 10, 1));
    }

    @Test
    void a_reservation_past_the_byte_limit_is_refused_and_records_nothing() {
        commitNew(AREA, "a", 600);
        reserveNew(ticket(AREA, "u1", 300));

        UploadTicket over = ticket(AREA, "u2", 101);
        assertThat(catalog.reserve(over, "blob" + newId(), BlobCheckpoint.start(), 1000, Catalog.NO_LIMIT))
                .isEqualTo(new Reservation.OverLimit(new AreaUsage(600, 1, 300, 1)));
        assertThat(catalog.upload(over.id())).isEmpty();
        assertThat(catalog.isReserved(over.key())).isFalse();

        UploadTicket fits = ticket(AREA, "u2", 100);
        assertThat(catalog.reserve(fits, "blob" + newId(), BlobCheckpoint.start(), 1000, Catalog.NO_LIMIT))
                .isInstanceOf(Reservation.Reserved.class);
        assertThat(catalog.usage(AREA)).isEqualTo(new AreaUsage(600, 1, 400, 2));
    }

    @Test
    void a_deferred_length_reservation_counts_its_minimum_hold_against_the_limit() {
        long limit = UploadTicket.DEFERRED_MINIMUM_HOLD + 10;
        commitNew(AREA, "a", 11);

        assertThat(catalog.reserve(ticket(AREA, "u", UploadTicket.DEFERRED), "blob" + newId(), BlobCheckpoint.start(),
                limit, Catalog.NO_LIMIT)).isInstanceOf(Reservation.OverLimit.class);
    }

    @Test
    void a_reservation_past_the_open_upload_limit_is_refused() {
        reserveNew(ticket(AREA, "u1", 1));
        reserveNew(ticket(AREA, "u2", 1));
        reserveNew(ticket(OTHER_PROJECT, "u3", 1));

        UploadTicket third = ticket(AREA, "u3", 1);
        assertThat(catalog.reserve(third, "blob" + newId(), BlobCheckpoint.start(), Catalog.NO_LIMIT, 2))
                .isEqualTo(new Reservation.TooManyOpen(new AreaUsage(0, 0, 2, 2)));
        assertThat(catalog.upload(third.id())).isEmpty();
        assertThat(catalog.reserve(ticket(OTHER_PROJECT, "u4", 1), "blob" + newId(), BlobCheckpoint.start(),
                Catalog.NO_LIMIT, 2)).isInstanceOf(Reservation.Reserved.class);
    }

    // ---- uploads: leases ----

    @Test
    void a_lease_is_granted_with_the_upload_and_refused_as_busy_while_held() throws Exception {
        UploadEntry entry = reserveNew(ticket(AREA, "u", 10));

        LeaseOutcome first = catalog.lease(entry.id(), LONG_LEASE);

        assertThat(first).isInstanceOf(LeaseOutcome.Leased.class);
        assertThat(((LeaseOutcome.Leased) first).upload()).isEqualTo(entry);
        assertThat(((LeaseOutcome.Leased) first).lease().uploadId()).isEqualTo(entry.id());
        assertThat(catalog.lease(entry.id(), LONG_LEASE)).isEqualTo(new LeaseOutcome.Busy());
        assertThat(second().lease(entry.id(), LONG_LEASE)).isEqualTo(new LeaseOutcome.Busy());
    }

    @Test
    void a_lease_of_an_upload_that_is_not_open_is_gone() {
        assertThat(catalog.lease("up" + newId(), LONG_LEASE)).isEqualTo(new LeaseOutcome.Gone());

        UploadEntry terminated = reserveNew(ticket(AREA, "t", 10));
        catalog.terminate(leased(catalog, terminated.id(), LONG_LEASE));
        assertThat(catalog.lease(terminated.id(), LONG_LEASE)).isEqualTo(new LeaseOutcome.Gone());

        UploadEntry finished = reserveNew(ticket(AREA, "c", 10));
        committed(catalog.commitUpload(leased(catalog, finished.id(), LONG_LEASE), file(AREA, "c", 10),
                Catalog.NO_LIMIT));
        assertThat(catalog.lease(finished.id(), LONG_LEASE)).isEqualTo(new LeaseOutcome.Gone());
    }

    @Test
    void a_released_lease_can_be_taken_at_once_by_another_writer_with_a_new_token() throws Exception {
        UploadEntry entry = reserveNew(ticket(AREA, "u", 10));
        Lease first = leased(catalog, entry.id(), LONG_LEASE);

        catalog.release(first);
        Lease next = leased(second(), entry.id(), LONG_LEASE);

        assertThat(next.token()).isNotEqualTo(first.token());
        catalog.release(first); // a lost lease is ignored: the new holder keeps it
        assertThat(catalog.lease(entry.id(), LONG_LEASE)).isEqualTo(new LeaseOutcome.Busy());
    }

    @Test
    void a_lease_lapses_only_after_its_duration_and_then_another_writer_takes_it() throws Exception {
        UploadEntry entry = reserveNew(ticket(AREA, "u", 10));
        Lease first = leased(catalog, entry.id(), shortLease());
        Catalog other = second();
        assertThat(other.lease(entry.id(), LONG_LEASE)).isEqualTo(new LeaseOutcome.Busy());

        waitForLapse();

        Lease taken = leased(other, entry.id(), LONG_LEASE);
        assertThat(taken.token()).isNotEqualTo(first.token());
    }

    @Test
    void a_renewed_lease_does_not_lapse_at_its_first_term() throws Exception {
        UploadEntry entry = reserveNew(ticket(AREA, "u", 10));
        Lease lease = leased(catalog, entry.id(), shortLease());

        assertThat(catalog.renew(lease, LONG_LEASE)).isTrue();
        waitForLapse();

        assertThat(second().lease(entry.id(), LONG_LEASE)).isEqualTo(new LeaseOutcome.Busy());
        assertThat(catalog.advance(lease, new BlobCheckpoint(5, "s"), UploadTicket.DEFERRED)).isTrue();
    }

    @Test
    void a_lapsed_lease_that_nobody_took_is_still_the_writers() throws Exception {
        UploadEntry entry = reserveNew(ticket(AREA, "u", 10));
        Lease lease = leased(catalog, entry.id(), shortLease());

        waitForLapse();

        assertThat(catalog.renew(lease, LONG_LEASE)).isTrue();
        assertThat(catalog.advance(lease, new BlobCheckpoint(5, "s"), UploadTicket.DEFERRED)).isTrue();
    }

    @Test
    void a_lease_taken_over_after_a_lapse_refuses_every_change_of_the_old_writer() throws Exception {
        UploadEntry entry = reserveNew(ticket(AREA, "u", 10));
        Lease stale = leased(catalog, entry.id(), shortLease());
        waitForLapse();
        Catalog other = second();
        Lease current = leased(other, entry.id(), LONG_LEASE);
        assertThat(other.advance(current, new BlobCheckpoint(4, "new-writer"), UploadTicket.DEFERRED)).isTrue();

        assertThat(catalog.advance(stale, new BlobCheckpoint(8, "old-writer"), UploadTicket.DEFERRED)).isFalse();
        assertThat(catalog.renew(stale, LONG_LEASE)).isFalse();
        assertThat(catalog.commitUpload(stale, file(AREA, "u", 10), Catalog.NO_LIMIT))
                .isEqualTo(new FileCommit.LeaseLost());
        assertThat(catalog.terminate(stale)).isEmpty();
        catalog.release(stale);

        assertThat(catalog.upload(entry.id())).map(UploadEntry::checkpoint)
                .contains(new BlobCheckpoint(4, "new-writer"));
        assertThat(catalog.find(new FileKey(AREA, "u"))).isEmpty();
        assertThat(catalog.lease(entry.id(), LONG_LEASE)).isEqualTo(new LeaseOutcome.Busy());
        assertThat(other.advance(current, new BlobCheckpoint(10, "new-writer"), UploadTicket.DEFERRED)).isTrue();
    }

    @Test
    void a_lease_on_an_upload_that_ended_is_refused_everywhere() {
        UploadEntry entry = reserveNew(ticket(AREA, "u", 10));
        Lease lease = leased(catalog, entry.id(), LONG_LEASE);
        assertThat(catalog.terminate(lease)).contains(entry);

        assertThat(catalog.renew(lease, LONG_LEASE)).isFalse();
        assertThat(catalog.advance(lease, new BlobCheckpoint(1, ""), UploadTicket.DEFERRED)).isFalse();
        assertThat(catalog.terminate(lease)).isEmpty();
        assertThat(catalog.commitUpload(lease, file(AREA, "u", 10), Catalog.NO_LIMIT))
                .isEqualTo(new FileCommit.LeaseLost());
    }

    // ---- uploads: advance ----

    @Test
    void advance_records_the_checkpoint_for_every_instance_and_the_hold_follows_the_declared_length() throws Exception {
        UploadEntry entry = reserveNew(ticket(AREA, "u", 5000));
        Lease lease = leased(catalog, entry.id(), LONG_LEASE);

        assertThat(catalog.advance(lease, new BlobCheckpoint(1200, "part=1;etag=\"x\""), UploadTicket.DEFERRED))
                .isTrue();

        UploadEntry seen = second().upload(entry.id()).orElseThrow();
        assertThat(seen.checkpoint()).isEqualTo(new BlobCheckpoint(1200, "part=1;etag=\"x\""));
        assertThat(seen.ticket()).isEqualTo(entry.ticket());
        assertThat(seen.blobId()).isEqualTo(entry.blobId());
        assertThat(catalog.usage(AREA)).isEqualTo(new AreaUsage(0, 0, 5000, 1));
    }

    @Test
    void a_deferred_upload_holds_what_it_has_then_its_length_once_declared() {
        long min = UploadTicket.DEFERRED_MINIMUM_HOLD;
        UploadEntry entry = reserveNew(ticket(AREA, "u", UploadTicket.DEFERRED));
        Lease lease = leased(catalog, entry.id(), LONG_LEASE);

        catalog.advance(lease, new BlobCheckpoint(min / 2, "a"), UploadTicket.DEFERRED);
        assertThat(catalog.usage(AREA).heldBytes()).isEqualTo(min);

        catalog.advance(lease, new BlobCheckpoint(min * 3, "b"), UploadTicket.DEFERRED);
        assertThat(catalog.usage(AREA).heldBytes()).isEqualTo(min * 3);
        assertThat(catalog.upload(entry.id()).orElseThrow().ticket().lengthDeferred()).isTrue();

        catalog.advance(lease, new BlobCheckpoint(min * 4, "c"), min * 10);
        UploadEntry now = catalog.upload(entry.id()).orElseThrow();
        assertThat(now.ticket()).isEqualTo(entry.ticket().withLength(min * 10));
        assertThat(now.held()).isEqualTo(min * 10);
        assertThat(catalog.usage(AREA)).isEqualTo(new AreaUsage(0, 0, min * 10, 1));
    }

    // ---- uploads: commit, staged, terminate ----

    @Test
    void commit_upload_passes_the_name_to_the_file_releases_the_hold_and_remembers_the_upload_as_staged()
            throws Exception {
        UploadTicket ticket = ticket(AREA, "big.csv", 1000);
        UploadEntry entry = reserveNew(ticket);
        Lease lease = leased(catalog, entry.id(), LONG_LEASE);
        catalog.advance(lease, new BlobCheckpoint(1000, "done"), UploadTicket.DEFERRED);
        CatalogFile file = new CatalogFile(stored(AREA, "big.csv", 1000), entry.blobId());

        FileCommit outcome = catalog.commitUpload(lease, file, Catalog.NO_LIMIT);

        assertThat(committed(outcome)).isEqualTo(file);
        Change change = ((FileCommit.Committed) outcome).change();
        assertThat(change.kind()).isEqualTo(Change.Kind.COMMITTED);
        assertThat(change.file()).isEqualTo(file.file());
        Catalog other = second();
        assertThat(other.find(ticket.key())).contains(file);
        assertThat(other.upload(ticket.id())).isEmpty();
        assertThat(other.isReserved(ticket.key())).isFalse();
        assertThat(other.staged(ticket.id())).contains(ticket);
        assertThat(other.usage(AREA)).isEqualTo(new AreaUsage(1000, 1, 0, 0));
        assertThat(other.openUploads()).isZero();
        assertThat(other.changes(AREA, 0, 10).entries()).containsExactly(change);
    }

    @Test
    void a_deferred_upload_committed_is_remembered_with_the_length_it_was_committed_at() throws Exception {
        UploadTicket ticket = ticket(AREA, "late.csv", UploadTicket.DEFERRED);
        UploadEntry entry = reserveNew(ticket);
        Lease lease = leased(catalog, entry.id(), LONG_LEASE);
        catalog.advance(lease, new BlobCheckpoint(300, "part"), UploadTicket.DEFERRED);

        // the last bytes and the length come with the commit, never synced before it
        committed(catalog.commitUpload(lease, new CatalogFile(stored(AREA, "late.csv", 700), entry.blobId()),
                Catalog.NO_LIMIT));

        assertThat(second().staged(ticket.id())).contains(ticket.withLength(700));
    }

    @Test
    void an_upload_of_no_bytes_commits_under_its_own_reservation() throws Exception {
        UploadEntry entry = reserveNew(ticket(AREA, "empty.csv", 0));
        Lease lease = leased(catalog, entry.id(), LONG_LEASE);

        committed(catalog.commitUpload(lease, new CatalogFile(stored(AREA, "empty.csv", 0), entry.blobId()), 0));

        assertThat(second().usage(AREA)).isEqualTo(new AreaUsage(0, 1, 0, 0));
    }

    @Test
    void commit_upload_does_not_count_the_uploads_own_hold_against_the_limit() {
        UploadEntry entry = reserveNew(ticket(AREA, "u", 1000));
        Lease lease = leased(catalog, entry.id(), LONG_LEASE);

        assertThat(catalog.commitUpload(lease, file(AREA, "u", 1000), 1000)).isInstanceOf(FileCommit.Committed.class);
    }

    @Test
    void commit_upload_past_the_limit_is_refused_and_the_upload_stays_open_under_its_lease() {
        commitNew(AREA, "other", 500);
        UploadEntry entry = reserveNew(ticket(AREA, "u", UploadTicket.DEFERRED));
        Lease lease = leased(catalog, entry.id(), LONG_LEASE);
        catalog.advance(lease, new BlobCheckpoint(UploadTicket.DEFERRED_MINIMUM_HOLD * 2, "s"), UploadTicket.DEFERRED);
        long held = UploadTicket.DEFERRED_MINIMUM_HOLD * 2;

        FileCommit outcome = catalog.commitUpload(lease, file(AREA, "u", held), 500 + held - 1);

        assertThat(outcome).isEqualTo(new FileCommit.OverLimit(new AreaUsage(500, 1, held, 1)));
        assertThat(catalog.find(new FileKey(AREA, "u"))).isEmpty();
        assertThat(catalog.upload(entry.id())).isPresent();
        assertThat(catalog.staged(entry.id())).isEmpty();
        assertThat(catalog.changes(AREA, 0, 10).entries()).hasSize(1);
        assertThat(catalog.commitUpload(lease, file(AREA, "u", held), 500 + held))
                .isInstanceOf(FileCommit.Committed.class);
    }

    @Test
    void terminate_frees_the_name_and_the_hold_and_answers_the_upload_as_it_was() throws Exception {
        UploadEntry entry = reserveNew(ticket(AREA, "u", 1000));
        Lease lease = leased(catalog, entry.id(), LONG_LEASE);
        catalog.advance(lease, new BlobCheckpoint(10, "ten"), UploadTicket.DEFERRED);

        Optional<UploadEntry> ended = catalog.terminate(lease);

        assertThat(ended).contains(new UploadEntry(entry.ticket(), entry.blobId(), new BlobCheckpoint(10, "ten")));
        Catalog other = second();
        assertThat(other.upload(entry.id())).isEmpty();
        assertThat(other.staged(entry.id())).isEmpty();
        assertThat(other.isReserved(entry.ticket().key())).isFalse();
        assertThat(other.usage(AREA)).isEqualTo(AreaUsage.EMPTY);
        assertThat(other.changes(AREA, 0, 10).entries()).isEmpty();
        commitNew(AREA, "u", 1);
    }

    // ---- uploads: expire ----

    @Test
    void expire_ends_expired_open_uploads_whoever_holds_their_lease_and_keeps_the_others() throws Exception {
        Instant expiry = Instant.parse("2026-12-07T12:00:00Z");
        UploadEntry leasedOne = reserveNew(ticket(AREA, "leased", 100, expiry));
        UploadEntry idle = reserveNew(ticket(OTHER_PROJECT, "idle", 200, expiry));
        UploadEntry alive = reserveNew(ticket(AREA, "alive", 300, expiry.plusSeconds(3600)));
        Lease lease = leased(catalog, leasedOne.id(), LONG_LEASE);

        List<UploadEntry> ended = second().expire(expiry.plusSeconds(1), 100);

        assertThat(ended).containsExactlyInAnyOrder(leasedOne, idle);
        assertThat(catalog.upload(leasedOne.id())).isEmpty();
        assertThat(catalog.upload(alive.id())).contains(alive);
        assertThat(catalog.usage(AREA)).isEqualTo(new AreaUsage(0, 0, 300, 1));
        assertThat(catalog.usage(OTHER_PROJECT)).isEqualTo(AreaUsage.EMPTY);
        assertThat(catalog.openUploads()).isEqualTo(1);
        assertThat(catalog.advance(lease, new BlobCheckpoint(1, ""), UploadTicket.DEFERRED)).isFalse();
        assertThat(catalog.lease(leasedOne.id(), LONG_LEASE)).isEqualTo(new LeaseOutcome.Gone());
        commitNew(AREA, "leased", 1);
        assertThat(catalog.expire(expiry.plusSeconds(1), 100)).isEmpty();
    }

    @Test
    void expire_takes_at_most_the_limit_per_call() {
        Instant expiry = Instant.parse("2026-12-07T12:00:00Z");
        for (int i = 0; i < 5; i++) {
            reserveNew(ticket(AREA, "u" + i, 1, expiry));
        }

        assertThat(catalog.expire(expiry.plusSeconds(1), 2)).hasSize(2);
        assertThat(catalog.expire(expiry.plusSeconds(1), 2)).hasSize(2);
        assertThat(catalog.expire(expiry.plusSeconds(1), 2)).hasSize(1);
        assertThat(catalog.openUploads()).isZero();
    }

    @Test
    void expire_keeps_uploads_expiring_at_or_after_now() {
        Instant expiry = Instant.parse("2026-12-07T12:00:00Z");
        UploadEntry entry = reserveNew(ticket(AREA, "u", 1, expiry));

        assertThat(catalog.expire(expiry.minusSeconds(1), 10)).isEmpty();
        assertThat(catalog.upload(entry.id())).isPresent();
    }

    @Test
    void expire_forgets_staged_uploads_whose_tickets_expired() {
        Instant expiry = Instant.parse("2026-12-07T12:00:00Z");
        UploadEntry early = reserveNew(ticket(AREA, "early", 1, expiry));
        UploadEntry late = reserveNew(ticket(AREA, "late", 1, expiry.plusSeconds(3600)));
        committed(catalog.commitUpload(leased(catalog, early.id(), LONG_LEASE), file(AREA, "early", 1),
                Catalog.NO_LIMIT));
        committed(catalog.commitUpload(leased(catalog, late.id(), LONG_LEASE), file(AREA, "late", 1),
                Catalog.NO_LIMIT));
        assertThat(catalog.staged(early.id())).contains(early.ticket());

        assertThat(catalog.expire(expiry.plusSeconds(1), 10)).isEmpty();

        assertThat(catalog.staged(early.id())).isEmpty();
        assertThat(catalog.staged(late.id())).contains(late.ticket());
        assertThat(catalog.find(new FileKey(AREA, "early"))).isPresent();
    }

    @Test
    void arguments_out_of_range_are_refused() {
        assertThatThrownBy(() -> catalog.page(AREA, null, 0, NameGlob.ANY))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> catalog.changes(AREA, -1, 10)).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- races ----

    /** Runs every task at once on its own thread and answers their results in order. */
    protected static <T> List<T> race(List<Callable<T>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> task : tasks) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(60, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void of_a_hundred_concurrent_reservations_and_commits_of_one_name_exactly_one_wins() throws Exception {
        Catalog[] instances = {catalog, second()};
        commitNew(AREA, "warm-up", 1); // the area exists: every contender goes straight for the name
        for (int round = 0; round < 5; round++) {
            String name = "contested-" + round;
            List<Callable<Object>> tasks = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                Catalog on = instances[i % 2];
                tasks.add(i % 4 < 2
                        ? () -> on.reserve(ticket(AREA, name, 10), "blob" + newId(), BlobCheckpoint.start(),
                                Catalog.NO_LIMIT, Catalog.NO_LIMIT)
                        : () -> on.commit(file(AREA, name, 10), Catalog.NO_LIMIT));
            }

            List<Object> outcomes = race(tasks);

            List<Object> winners = outcomes.stream()
                    .filter(o -> o instanceof Reservation.Reserved || o instanceof FileCommit.Committed).toList();
            assertThat(winners).as("round %d", round).hasSize(1);
            assertThat(outcomes).allMatch(o -> winners.contains(o) || o instanceof Reservation.NameTaken
                    || o instanceof FileCommit.NameTaken);
            assertThat(catalog.find(new FileKey(AREA, name)).isPresent())
                    .isNotEqualTo(catalog.isReserved(new FileKey(AREA, name)));
        }
        AreaUsage usage = catalog.usage(AREA);
        assertThat(usage.files() + usage.openUploads()).isEqualTo(6);
        assertThat(catalog.changes(AREA, 0, 100).entries()).hasSize((int) usage.files());
    }

    @Test
    void of_twenty_concurrent_deletes_of_one_file_exactly_one_gets_it() throws Exception {
        CatalogFile file = commitNew(AREA, "victim", 10);
        Catalog[] instances = {catalog, second()};
        List<Callable<Optional<Catalog.Removed>>> tasks = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Catalog on = instances[i % 2];
            Optional<UUID> version = i % 3 == 0 ? Optional.of(file.file().id()) : Optional.empty();
            tasks.add(() -> on.delete(file.file().key(), version));
        }

        List<Optional<Catalog.Removed>> outcomes = race(tasks);

        assertThat(outcomes.stream().filter(Optional::isPresent).count()).isEqualTo(1);
        assertThat(catalog.usage(AREA)).isEqualTo(AreaUsage.EMPTY);
        assertThat(catalog.changes(AREA, 0, 100).entries()).extracting(Change::kind)
                .containsExactly(Change.Kind.COMMITTED, Change.Kind.DELETED);
    }

    @Test
    void fifty_concurrent_commits_of_distinct_names_never_pass_the_byte_limit_together() throws Exception {
        Catalog[] instances = {catalog, second()};
        reserveNew(ticket(AREA, "held", 150));
        List<Callable<FileCommit>> tasks = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Catalog on = instances[i % 2];
            String name = "f" + i;
            tasks.add(() -> on.commit(file(AREA, name, 100), 2150));
        }

        List<FileCommit> outcomes = race(tasks);

        assertThat(outcomes.stream().filter(FileCommit.Committed.class::isInstance).count()).isEqualTo(20);
        assertThat(outcomes).allMatch(o -> o instanceof FileCommit.Committed || o instanceof FileCommit.OverLimit);
        assertThat(catalog.usage(AREA)).isEqualTo(new AreaUsage(2000, 20, 150, 1));
    }

    @Test
    void the_change_log_has_no_gap_after_concurrent_commits_and_deletes_on_two_instances() throws Exception {
        Catalog[] instances = {catalog, second()};
        List<CatalogFile> existing = IntStream.range(0, 20).mapToObj(i -> commitNew(AREA, "old" + i, 1)).toList();
        List<Callable<Object>> tasks = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Catalog on = instances[i % 2];
            String name = "new" + i;
            tasks.add(() -> on.commit(file(AREA, name, 1), Catalog.NO_LIMIT));
        }
        for (CatalogFile victim : existing) {
            Catalog on = instances[victim.file().name().length() % 2];
            tasks.add(() -> on.delete(victim.file().key(), Optional.empty()));
        }

        race(tasks);

        List<Change> log = instances[1].changes(AREA, 0, 1000).entries();
        assertThat(log).extracting(Change::sequence)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 80).boxed().toList());
        Map<Change.Kind, Long> kinds = log.stream().collect(Collectors.groupingBy(Change::kind, Collectors.counting()));
        assertThat(kinds).isEqualTo(Map.of(Change.Kind.COMMITTED, 60L, Change.Kind.DELETED, 20L));
        assertThat(catalog.usage(AREA)).isEqualTo(new AreaUsage(40, 40, 0, 0));
        // each deleted file's entry comes after its commit's
        for (CatalogFile victim : existing) {
            List<Long> at = log.stream().filter(c -> c.file().id().equals(victim.file().id()))
                    .map(Change::sequence).toList();
            assertThat(at).hasSize(2);
            assertThat(at.get(0)).isLessThan(at.get(1));
        }
    }

    @Test
    void a_blob_is_referred_to_while_its_file_or_open_upload_is_there() throws Exception {
        CatalogFile file = commitNew(AREA, "kept.csv", 10);
        UploadEntry upload = reserveNew(ticket(AREA, "open.csv", 5));
        UploadEntry ended = reserveNew(ticket(AREA, "ended.csv", 5));
        Lease lease = leased(catalog, ended.id(), LONG_LEASE);
        assertThat(catalog.terminate(lease)).isPresent();
        CatalogFile deleted = commitNew(AREA, "gone.csv", 3);
        assertThat(catalog.delete(deleted.file().key(), Optional.empty())).isPresent();

        String unknown = "blob" + newId();

        assertThat(second().referenced(List.of(file.blobId(), upload.blobId(), ended.blobId(), deleted.blobId(),
                unknown))).containsExactlyInAnyOrder(file.blobId(), upload.blobId());
        assertThat(catalog.referenced(List.of())).isEmpty();
    }

    // ---- events: what the change log records, expiry, trimming ----

    @Test
    void a_file_keeps_how_it_was_uploaded_and_when_it_expires_in_the_catalog_and_its_log() {
        Instant expires = Instant.parse("2026-12-09T08:00:00.000000007Z");
        CatalogFile file = new CatalogFile(stored(AREA, "kept", 5).uploadedBy(dev.filestaging.ports.UploadMethod.RESUMABLE)
                .expiringAt(expires), "blob" + newId());

        committed(catalog.commit(file, Catalog.NO_LIMIT));

        assertThat(catalog.find(file.file().key())).contains(file);
        assertThat(catalog.page(AREA, null, 10, NameGlob.ANY)).containsExactly(file);
        assertThat(catalog.changes(AREA, 0, 10).entries()).singleElement()
                .satisfies(change -> assertThat(change.file()).isEqualTo(file.file()));
    }

    @Test
    void expired_files_are_removed_with_an_expired_entry_each_their_space_freed_and_others_kept() {
        Instant now = Instant.parse("2026-12-07T12:00:00Z");
        CatalogFile early = committed(catalog.commit(new CatalogFile(stored(AREA, "early", 10).expiringAt(
                now.minusSeconds(5)), "blob" + newId()), Catalog.NO_LIMIT));
        CatalogFile exact = committed(catalog.commit(new CatalogFile(stored(OTHER_PROJECT, "exact", 20).expiringAt(now),
                "blob" + newId()), Catalog.NO_LIMIT));
        CatalogFile later = committed(catalog.commit(new CatalogFile(stored(AREA, "later", 30).expiringAt(
                now.plusSeconds(1)), "blob" + newId()), Catalog.NO_LIMIT));
        CatalogFile forever = commitNew(AREA, "forever", 40);

        assertThat(catalog.expireFiles(now, 1)).hasSize(1);
        List<Catalog.Removed> rest = catalog.expireFiles(now, 10);

        assertThat(rest).hasSize(1);
        assertThat(catalog.expireFiles(now, 10)).isEmpty();
        assertThat(catalog.find(early.file().key())).isEmpty();
        assertThat(catalog.find(exact.file().key())).isEmpty();
        assertThat(catalog.find(later.file().key())).contains(later);
        assertThat(catalog.find(forever.file().key())).contains(forever);
        assertThat(catalog.usage(AREA)).isEqualTo(new AreaUsage(70, 2, 0, 0));
        assertThat(catalog.usage(OTHER_PROJECT)).isEqualTo(new AreaUsage(0, 0, 0, 0));
        List<Change> log = catalog.changes(AREA, 0, 10).entries();
        assertThat(log).extracting(Change::kind).containsExactly(Change.Kind.COMMITTED, Change.Kind.COMMITTED,
                Change.Kind.COMMITTED, Change.Kind.EXPIRED);
        assertThat(log.get(3).file()).isEqualTo(early.file());
        assertThat(catalog.changes(OTHER_PROJECT, 0, 10).entries()).extracting(Change::kind)
                .containsExactly(Change.Kind.COMMITTED, Change.Kind.EXPIRED);
        assertThat(catalog.expireFiles(now.plusSeconds(1), 10)).singleElement()
                .satisfies(removed -> assertThat(removed.file()).isEqualTo(later));
    }

    @Test
    void an_open_upload_ended_by_its_expiry_leaves_an_upload_expired_entry_and_a_staged_one_none() {
        Instant expiry = Instant.parse("2026-12-07T12:00:00Z");
        UploadEntry open = reserveNew(ticket(AREA, "open", 100, expiry));
        Lease lease = leased(catalog, open.id(), LONG_LEASE);
        assertThat(catalog.advance(lease, new BlobCheckpoint(7, "seven"), UploadTicket.DEFERRED)).isTrue();
        UploadEntry staged = reserveNew(ticket(AREA, "staged", 1, expiry));
        committed(catalog.commitUpload(leased(catalog, staged.id(), LONG_LEASE), file(AREA, "staged", 1),
                Catalog.NO_LIMIT));

        assertThat(catalog.expire(expiry.plusSeconds(1), 10)).hasSize(1);

        List<Change> log = catalog.changes(AREA, 0, 10).entries();
        assertThat(log).extracting(Change::kind).containsExactly(Change.Kind.COMMITTED, Change.Kind.UPLOAD_EXPIRED);
        Change.ExpiredUpload upload = log.get(1).upload();
        assertThat(upload).isEqualTo(new Change.ExpiredUpload(open.id(), open.ticket().key(), 7, 100,
                open.ticket().uploadedBy(), open.ticket().created()));
        assertThat(log.get(1).file()).isNull();
        assertThat(catalog.changes(AREA, 0, 10).latest()).isEqualTo(2);
    }

    @Test
    void advancing_an_upload_can_move_its_expiry() {
        UploadEntry entry = reserveNew(ticket(AREA, "u", 10, Instant.parse("2026-12-07T12:00:00Z")));
        Lease lease = leased(catalog, entry.id(), LONG_LEASE);
        Instant moved = Instant.parse("2026-12-08T12:00:00.000000003Z");

        assertThat(catalog.advance(lease, new BlobCheckpoint(3, "a"), UploadTicket.DEFERRED, moved)).isTrue();
        assertThat(catalog.upload(entry.id()).orElseThrow().ticket().expires()).isEqualTo(moved);
        assertThat(catalog.advance(lease, new BlobCheckpoint(4, "b"), UploadTicket.DEFERRED)).isTrue();
        assertThat(catalog.upload(entry.id()).orElseThrow().ticket().expires()).isEqualTo(moved);
        assertThat(catalog.expire(Instant.parse("2026-12-08T00:00:00Z"), 10)).isEmpty();
    }

    @Test
    void trimming_removes_the_oldest_entries_only_and_numbers_go_on_where_they_were() throws Exception {
        commitNew(AREA, "a", 1);
        commitNew(AREA, "b", 1);
        Thread.sleep(20);
        Instant cut = Instant.now();
        Thread.sleep(20);
        commitNew(AREA, "c", 1);

        assertThat(catalog.trimChanges(cut, 1)).isEqualTo(1);
        assertThat(catalog.trimChanges(cut, 10)).isEqualTo(1);
        assertThat(catalog.trimChanges(cut, 10)).isZero();

        Catalog.ChangeLog log = catalog.changes(AREA, 0, 10);
        assertThat(log.entries()).extracting(Change::sequence).containsExactly(3L);
        assertThat(log.latest()).isEqualTo(3);
        catalog.delete(new FileKey(AREA, "a"), Optional.empty());
        assertThat(catalog.changes(AREA, 3, 10).entries()).extracting(Change::sequence).containsExactly(4L);
        assertThat(catalog.trimChanges(Instant.now().plusSeconds(60), 10)).isEqualTo(2);
        assertThat(catalog.changes(AREA, 0, 10)).isEqualTo(new Catalog.ChangeLog(List.of(), 4));
        assertThat(catalog.changes(OTHER_ORG, 0, 10)).isEqualTo(new Catalog.ChangeLog(List.of(), 0));
    }

    @Test
    void an_organizations_logs_are_listed_with_their_latest_numbers() throws Exception {
        commitNew(AREA, "a", 1);
        commitNew(AREA, "b", 1);
        commitNew(OTHER_PROJECT, "c", 1);
        commitNew(OTHER_ORG, "d", 1);
        reserveNew(ticket(new StagingArea(new OrganizationId("acme"), new ProjectId("only-uploads")), "u", 1));

        assertThat(second().logs(new OrganizationId("acme"))).containsExactlyInAnyOrder(
                new Catalog.AreaLog(AREA, 2), new Catalog.AreaLog(OTHER_PROJECT, 1));
        assertThat(catalog.logs(new OrganizationId("nobody"))).isEmpty();
    }

    @Test
    void an_entry_reads_the_same_with_the_same_event_id_from_another_instance() throws Exception {
        Change change = ((FileCommit.Committed) catalog.commit(file(AREA, "a", 1), Catalog.NO_LIMIT)).change();

        Change read = second().changes(AREA, 0, 1).entries().get(0);

        assertThat(read).isEqualTo(change);
        assertThat(read.eventId()).isEqualTo(change.eventId()).startsWith("evt_");
        assertThat(commitNew(AREA, "b", 1)).isNotNull();
        assertThat(catalog.changes(AREA, 1, 1).entries().get(0).eventId()).isNotEqualTo(change.eventId());
    }
}
