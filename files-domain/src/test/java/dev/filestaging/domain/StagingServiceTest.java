package dev.filestaging.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.filestaging.domain.fixtures.InMemoryStorage;
import dev.filestaging.domain.quota.QuotaLedger;
import dev.filestaging.domain.quota.Quotas;
import dev.filestaging.domain.upload.ContentWriter;
import dev.filestaging.ports.ByteRange;
import dev.filestaging.ports.CompressionFormat;
import dev.filestaging.ports.DataFormat;
import dev.filestaging.ports.Digest;
import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.Principal;
import dev.filestaging.ports.ProjectId;
import dev.filestaging.ports.Role;
import dev.filestaging.ports.SpaceUsage;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.StoredFile;
import dev.filestaging.ports.in.AccessDeniedException;
import dev.filestaging.ports.in.AppendOutcome;
import dev.filestaging.ports.in.BeginOutcome;
import dev.filestaging.ports.in.DeleteOutcome;
import dev.filestaging.ports.in.Upload;
import dev.filestaging.ports.in.UploadCommand;
import dev.filestaging.ports.in.UploadOutcome;
import dev.filestaging.ports.in.UploadRequest;
import org.junit.jupiter.api.Test;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

class StagingServiceTest {

    private static final OrganizationId ACME = new OrganizationId("acme");
    private static final StagingArea AREA = StagingArea.defaultProjectOf(ACME);
    private static final Principal UPLOADER = new Principal(ACME, "sa-1", Set.of(Role.MANAGE_FILES));
    private static final Instant NOW = Instant.parse("2022-02-03T00:21:18.164186373Z");
    private static final UUID ID = UUID.fromString("3576326d-5fd5-4fdc-97aa-88d72bcbd7e9");

    private final InMemoryStorage store = new InMemoryStorage();
    private StagingService service = service(Quotas.uniform(Quotas.POLARIS_DEFAULT_BYTES));

    private StagingService service(Quotas quotas) {
        return new StagingService(store, quotas, Clock.fixed(NOW, ZoneOffset.UTC), () -> ID, StagingService.contentWriterPool());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private UploadOutcome upload(String name, byte[] content) throws IOException {
        return service.upload(new UploadCommand(UPLOADER, AREA, name, null, null, null, new ByteArrayInputStream(content)));
    }

    @Test
    void an_upload_records_size_md5_formats_uploader_and_time() throws IOException {
        UploadOutcome outcome = upload("abc.csv", bytes("abc"));

        StoredFile expected = new StoredFile(ID, new dev.filestaging.ports.FileKey(AREA, "abc.csv"), 3, DataFormat.CSV, null,
                Digest.md5("900150983CD24FB0D6963F7D28E17F72"), "sa-1", NOW)
                .uploadedBy(dev.filestaging.ports.UploadMethod.MULTIPART);
        assertThat(outcome).isEqualTo(new UploadOutcome.Uploaded(expected));
        assertThat(service.get(UPLOADER, AREA, "abc.csv")).contains(expected);
        assertThat(service.get(UPLOADER, AREA, "abc.csv").orElseThrow().expiresAt()).isNull();
        assertThat(store.openPendingFiles()).isZero();
    }

    private UploadOutcome uploadKeptFor(String name, java.time.Duration keepFor) throws IOException {
        BeginOutcome begun = service.begin(new UploadRequest(UPLOADER, AREA, name, null, null, null, keepFor));
        if (begun instanceof BeginOutcome.Refused refused) {
            return refused.refusal();
        }
        try (dev.filestaging.ports.in.Upload upload = ((BeginOutcome.Begun) begun).upload()) {
            upload.append(new ByteArrayInputStream(bytes("a,b\n")));
            return upload.complete(null);
        }
    }

    @Test
    void a_file_asked_to_expire_expires_that_long_after_it_was_staged_and_the_default_applies_otherwise()
            throws IOException {
        service.keepingFiles(new dev.filestaging.domain.upload.FileLifetimes(
                java.util.Optional.of(java.time.Duration.ofHours(2)), java.time.Duration.ofDays(1)));

        UploadOutcome asked = uploadKeptFor("asked.csv", java.time.Duration.ofSeconds(60));
        UploadOutcome byDefault = uploadKeptFor("default.csv", null);

        assertThat(((UploadOutcome.Uploaded) asked).file().expiresAt()).isEqualTo(NOW.plusSeconds(60));
        assertThat(((UploadOutcome.Uploaded) byDefault).file().expiresAt()).isEqualTo(NOW.plusSeconds(7200));
        assertThat(service.get(UPLOADER, AREA, "asked.csv").orElseThrow().expiresAt()).isEqualTo(NOW.plusSeconds(60));
    }

    @Test
    void a_lifetime_outside_the_bounds_is_refused_before_any_byte_and_leaves_nothing() throws IOException {
        service.keepingFiles(new dev.filestaging.domain.upload.FileLifetimes(java.util.Optional.empty(),
                java.time.Duration.ofDays(1)));

        assertThat(uploadKeptFor("short.csv", java.time.Duration.ofSeconds(59)))
                .isInstanceOf(UploadOutcome.InvalidLifetime.class);
        assertThat(uploadKeptFor("long.csv", java.time.Duration.ofDays(1).plusSeconds(1)))
                .isInstanceOf(UploadOutcome.InvalidLifetime.class);
        assertThat(uploadKeptFor("zero.csv", java.time.Duration.ZERO)).isInstanceOf(UploadOutcome.InvalidLifetime.class);
        assertThat(service.list(UPLOADER, AREA).files()).isEmpty();
        assertThat(store.openPendingFiles()).isZero();
        assertThat(uploadKeptFor("day.csv", java.time.Duration.ofDays(1))).isInstanceOf(UploadOutcome.Uploaded.class);
    }

    @Test
    void content_larger_than_one_chunk_is_digested_and_stored_whole() throws IOException {
        byte[] content = new byte[ContentWriter.CHUNK_BYTES * 3 + 17];
        new java.util.Random(5).nextBytes(content);
        String expectedMd5 = java.util.HexFormat.of().withUpperCase().formatHex(md5(content));

        UploadOutcome.Uploaded uploaded = (UploadOutcome.Uploaded) upload("big.bin", content);

        assertThat(uploaded.file().sizeBytes()).isEqualTo(content.length);
        assertThat(uploaded.file().digest().hash()).isEqualTo(expectedMd5);
        try (InputStream stored = service.open(UPLOADER, AREA, "big.bin", new ByteRange.Whole()).orElseThrow().content()) {
            assertThat(stored.readAllBytes()).isEqualTo(content);
        }
    }

    private static byte[] md5(byte[] content) {
        try {
            return java.security.MessageDigest.getInstance("MD5").digest(content);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void content_appended_in_pieces_of_any_size_gives_the_file_one_append_gives() throws IOException {
        byte[] content = new byte[ContentWriter.CHUNK_BYTES * 2 + 5000];
        byte[] header = bytes("id,name\n");
        System.arraycopy(header, 0, content, 0, header.length);
        for (int i = header.length; i < content.length; i++) {
            content[i] = (byte) ('a' + i % 26);
        }
        StoredFile whole = ((UploadOutcome.Uploaded) upload("whole.csv", content)).file();

        try (Upload upload = begun("pieces.csv")) {
            int[] cuts = {0, 1, 100, 9000, ContentWriter.CHUNK_BYTES + 3, content.length};
            for (int i = 1; i < cuts.length; i++) {
                AppendOutcome appended = upload.append(new ByteArrayInputStream(content, cuts[i - 1], cuts[i] - cuts[i - 1]));
                assertThat(appended).isEqualTo(new AppendOutcome.Appended(cuts[i]));
            }
            assertThat(store.list(AREA)).extracting(StoredFile::name).containsExactly("whole.csv");
            StoredFile pieces = ((UploadOutcome.Uploaded) upload.complete(null)).file();

            assertThat(pieces.digest()).isEqualTo(whole.digest());
            assertThat(pieces.sizeBytes()).isEqualTo(content.length);
            assertThat(pieces.dataFormat()).isEqualTo(DataFormat.CSV).isEqualTo(whole.dataFormat());
        }
        assertThat(store.open(new dev.filestaging.ports.FileKey(AREA, "pieces.csv"), new ByteRange.Whole())
                .orElseThrow().content().readAllBytes()).isEqualTo(content);
        assertThat(store.openPendingFiles()).isZero();
    }

    @Test
    void a_small_file_sent_in_pieces_is_detected_as_a_whole_when_completed() throws IOException {
        byte[] zip = {0x50, 0x4B, 0x03, 0x04, 20, 0, 0, 0};
        try (Upload upload = begun("small.bin")) {
            upload.append(new ByteArrayInputStream(zip, 0, 2));
            upload.append(new ByteArrayInputStream(zip, 2, 6));

            assertThat(upload.complete(null)).isEqualTo(
                    new UploadOutcome.UnsupportedContent(UploadOutcome.ContentProblem.ZIP_ARCHIVE));
        }
        assertThat(store.list(AREA)).isEmpty();
        assertThat(store.openPendingFiles()).isZero();
    }

    @Test
    void an_upload_closed_before_completion_leaves_nothing_and_the_name_free() throws IOException {
        try (Upload upload = begun("abandoned.csv")) {
            upload.append(new ByteArrayInputStream(bytes("a,b\n1,2\n")));
            assertThat(upload.name()).isEqualTo("abandoned.csv");
            assertThat(upload.receivedBytes()).isEqualTo(8);
        }
        assertThat(store.list(AREA)).isEmpty();
        assertThat(store.openPendingFiles()).isZero();
        assertThat(upload("abandoned.csv", bytes("x"))).isInstanceOf(UploadOutcome.Uploaded.class);
    }

    @Test
    void an_append_that_crosses_the_quota_is_refused_and_ends_the_upload() throws IOException {
        service = service(Quotas.uniform(10));
        try (Upload upload = begun("big.csv")) {
            assertThat(upload.append(new ByteArrayInputStream(bytes("a,b\n")))).isEqualTo(new AppendOutcome.Appended(4));
            AppendOutcome refused = upload.append(new ByteArrayInputStream(bytes("1234567890\n")));

            assertThat(refused).isEqualTo(new AppendOutcome.Refused(new UploadOutcome.QuotaExceeded(new SpaceUsage(10, 0))));
            assertThatThrownBy(() -> upload.complete(null)).isInstanceOf(IllegalStateException.class);
        }
        assertThat(store.list(AREA)).isEmpty();
        assertThat(store.openPendingFiles()).isZero();
    }

    @Test
    void a_taken_name_is_refused_at_begin_before_any_byte() throws IOException {
        upload("taken.csv", bytes("a"));

        BeginOutcome begun = service.begin(new UploadRequest(UPLOADER, AREA, "taken.csv", null, null, null));

        assertThat(begun).isEqualTo(new BeginOutcome.Refused(new UploadOutcome.NameTaken("taken.csv")));
        assertThat(store.openPendingFiles()).isZero();
    }

    private Upload begun(String name) {
        BeginOutcome outcome = service.begin(new UploadRequest(UPLOADER, AREA, name, null, null, null));
        return ((BeginOutcome.Begun) outcome).upload();
    }

    @Test
    void declared_formats_override_detection() throws IOException {
        UploadOutcome.Uploaded uploaded = (UploadOutcome.Uploaded) service.upload(new UploadCommand(UPLOADER, AREA,
                "x.csv", DataFormat.TSV, CompressionFormat.ZSTD, null, new ByteArrayInputStream(bytes("a,b\n"))));
        assertThat(uploaded.file().dataFormat()).isEqualTo(DataFormat.TSV);
        assertThat(uploaded.file().compressionFormat()).isEqualTo(CompressionFormat.ZSTD);
    }

    @Test
    void the_parts_media_type_decides_when_name_and_content_cannot() throws IOException {
        UploadOutcome.Uploaded uploaded = (UploadOutcome.Uploaded) service.upload(new UploadCommand(UPLOADER, AREA,
                "export", null, null, "text/csv; charset=utf-8", new ByteArrayInputStream(bytes("just one column\n"))));
        assertThat(uploaded.file().dataFormat()).isEqualTo(DataFormat.CSV);
    }

    @Test
    void a_second_upload_of_a_name_is_refused_without_reading_it_and_the_first_stays() throws IOException {
        upload("dup.csv", bytes("first"));
        InputStream unread = new ByteArrayInputStream(bytes("second"));

        UploadOutcome outcome = service.upload(new UploadCommand(UPLOADER, AREA, "dup.csv", null, null, null, unread));

        assertThat(outcome).isEqualTo(new UploadOutcome.NameTaken("dup.csv"));
        assertThat(unread.available()).isEqualTo(6);
        assertThat(service.get(UPLOADER, AREA, "dup.csv").orElseThrow().sizeBytes()).isEqualTo(5);
    }

    @Test
    void the_nfd_spelling_of_a_staged_name_is_the_same_file() throws IOException {
        upload("café.csv", bytes("a"));
        String nfd = Normalizer.normalize("café.csv", Normalizer.Form.NFD);

        assertThat(upload(nfd, bytes("b"))).isEqualTo(new UploadOutcome.NameTaken("café.csv"));
        assertThat(service.get(UPLOADER, AREA, nfd)).isPresent();
    }

    @Test
    void an_invalid_name_is_refused_and_nothing_is_started() throws IOException {
        UploadOutcome outcome = upload("../x.csv", bytes("a"));

        assertThat(outcome).isInstanceOf(UploadOutcome.InvalidName.class);
        assertThat(store.list(AREA)).isEmpty();
        assertThat(store.openPendingFiles()).isZero();
    }

    @Test
    void an_upload_that_does_not_fit_the_quota_is_refused_and_leaves_nothing() throws IOException {
        service = service(Quotas.uniform(10));
        upload("six.csv", bytes("123456"));

        UploadOutcome outcome = upload("five.csv", bytes("12345"));

        assertThat(outcome).isEqualTo(new UploadOutcome.QuotaExceeded(new SpaceUsage(10, 6)));
        assertThat(store.list(AREA)).extracting(StoredFile::name).containsExactly("six.csv");
        assertThat(store.openPendingFiles()).isZero();
        assertThat(upload("four.csv", bytes("1234"))).isInstanceOf(UploadOutcome.Uploaded.class);
    }

    @Test
    void quotas_are_per_organization_and_a_delete_gives_the_space_back() throws IOException {
        service = service(new Quotas(1000, java.util.Map.of(ACME, 4L)));
        upload("a.csv", bytes("1234"));
        assertThat(upload("b.csv", bytes("1"))).isInstanceOf(UploadOutcome.QuotaExceeded.class);

        assertThat(service.delete(UPLOADER, AREA, "a.csv")).isInstanceOf(DeleteOutcome.Deleted.class);

        assertThat(upload("b.csv", bytes("1"))).isInstanceOf(UploadOutcome.Uploaded.class);
        assertThat(service.list(UPLOADER, AREA).space()).isEqualTo(new SpaceUsage(4, 1));
    }

    @Test
    void commits_and_deletes_of_another_instance_sharing_the_storage_count_against_the_quota() throws IOException {
        AtomicReference<Instant> now = new AtomicReference<>(NOW);
        Clock clock = new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        service = new StagingService(store, Quotas.uniform(10), clock, () -> ID, StagingService.contentWriterPool());
        StagingService otherInstance = new StagingService(store, Quotas.uniform(10), clock, () -> ID, StagingService.contentWriterPool());
        upload("warm-up.csv", bytes("1"));

        assertThat(otherInstance.upload(new UploadCommand(UPLOADER, AREA, "big.csv", null, null, null,
                new ByteArrayInputStream(bytes("123456789"))))).isInstanceOf(UploadOutcome.Uploaded.class);
        // the used figure is read from storage again once it is older than the refresh interval
        now.set(NOW.plus(QuotaLedger.STORAGE_REFRESH).plusMillis(1));
        assertThat(upload("more.csv", bytes("12"))).isEqualTo(new UploadOutcome.QuotaExceeded(new SpaceUsage(10, 10)));

        assertThat(otherInstance.delete(UPLOADER, AREA, "big.csv")).isInstanceOf(DeleteOutcome.Deleted.class);
        assertThat(upload("more.csv", bytes("12"))).isInstanceOf(UploadOutcome.Uploaded.class);
    }

    @Test
    void concurrent_uploads_can_never_together_exceed_the_quota() throws Exception {
        service = service(Quotas.uniform(1000));
        int uploads = 6;
        CountDownLatch allStreaming = new CountDownLatch(uploads);
        ExecutorService pool = Executors.newFixedThreadPool(uploads);
        try {
            List<Future<UploadOutcome>> results = new ArrayList<>();
            for (int i = 0; i < uploads; i++) {
                String name = "part-" + i + ".bin";
                // each sends 300 bytes, waits until every upload is streaming, then sends 300 more
                InputStream content = new SequenceInputStream(new ByteArrayInputStream(new byte[300]),
                        new InputStream() {
                            private final InputStream rest = new ByteArrayInputStream(new byte[300]);
                            private boolean waited;

                            @Override
                            public int read() throws IOException {
                                byte[] one = new byte[1];
                                return read(one, 0, 1) < 0 ? -1 : one[0];
                            }

                            @Override
                            public int read(byte[] b, int off, int len) throws IOException {
                                if (!waited) {
                                    waited = true;
                                    allStreaming.countDown();
                                    try {
                                        allStreaming.await(10, TimeUnit.SECONDS);
                                    } catch (InterruptedException e) {
                                        throw new IOException(e);
                                    }
                                }
                                return rest.read(b, off, len);
                            }
                        });
                results.add(pool.submit(() -> service.upload(new UploadCommand(UPLOADER, AREA, name, null, null, null, content))));
            }
            long uploaded = 0;
            for (Future<UploadOutcome> result : results) {
                if (result.get() instanceof UploadOutcome.Uploaded) {
                    uploaded++;
                } else {
                    assertThat(result.get()).isInstanceOf(UploadOutcome.QuotaExceeded.class);
                }
            }
            assertThat(uploaded).isEqualTo(1);
            assertThat(store.usedBytes(AREA)).isEqualTo(600);
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.openPendingFiles()).isZero();
    }

    @Test
    void a_failing_content_stream_aborts_the_upload_and_the_failure_reaches_the_caller() {
        IOException clientGone = new IOException("connection reset");
        InputStream failing = new SequenceInputStream(new ByteArrayInputStream(new byte[1000]), new InputStream() {
            @Override
            public int read() throws IOException {
                throw clientGone;
            }
        });

        assertThatThrownBy(() -> service.upload(new UploadCommand(UPLOADER, AREA, "cut.csv", null, null, null, failing)))
                .isSameAs(clientGone);
        assertThat(store.list(AREA)).isEmpty();
        assertThat(store.openPendingFiles()).isZero();
        assertThat(service.list(UPLOADER, AREA).space().usedBytes()).isZero();
    }

    @Test
    void content_that_does_not_match_its_declared_md5_is_refused_and_leaves_nothing() throws Exception {
        byte[] content = new byte[300_000];
        new java.util.Random(7).nextBytes(content);
        byte[] md5 = java.security.MessageDigest.getInstance("MD5").digest(content);
        byte[] otherMd5 = md5.clone();
        otherMd5[0] ^= 1;

        UploadOutcome refused = service.upload(new UploadCommand(UPLOADER, AREA, "damaged.bin", null, null, null,
                new ByteArrayInputStream(content), otherMd5));

        assertThat(refused).isEqualTo(new UploadOutcome.DigestMismatch(
                java.util.HexFormat.of().withUpperCase().formatHex(otherMd5),
                java.util.HexFormat.of().withUpperCase().formatHex(md5)));
        assertThat(store.list(AREA)).isEmpty();
        assertThat(store.openPendingFiles()).isZero();
        assertThat(service.list(UPLOADER, AREA).space().usedBytes()).isZero();
        assertThat(service.upload(new UploadCommand(UPLOADER, AREA, "damaged.bin", null, null, null,
                new ByteArrayInputStream(content), md5))).isInstanceOf(UploadOutcome.Uploaded.class);
    }

    @Test
    void a_zip_archive_is_refused_and_leaves_nothing() throws IOException {
        UploadOutcome outcome = upload("a.zip", new byte[] {'P', 'K', 3, 4, 20, 0, 0, 0});

        assertThat(outcome).isEqualTo(new UploadOutcome.UnsupportedContent(UploadOutcome.ContentProblem.ZIP_ARCHIVE));
        assertThat(store.list(AREA)).isEmpty();
        assertThat(store.openPendingFiles()).isZero();
    }

    @Test
    void an_empty_file_is_staged() throws IOException {
        UploadOutcome.Uploaded uploaded = (UploadOutcome.Uploaded) upload("empty.csv", new byte[0]);
        assertThat(uploaded.file().sizeBytes()).isZero();
        assertThat(uploaded.file().digest().hash()).isEqualTo("D41D8CD98F00B204E9800998ECF8427E");
    }

    @Test
    void listing_shows_files_by_name_and_the_space_left() throws IOException {
        upload("b.csv", bytes("bb"));
        upload("a.csv", bytes("a"));

        var listing = service.list(UPLOADER, AREA);

        assertThat(listing.files()).extracting(StoredFile::name).containsExactly("a.csv", "b.csv");
        assertThat(listing.space()).isEqualTo(new SpaceUsage(Quotas.POLARIS_DEFAULT_BYTES, 3));
        assertThat(listing.space().remainingBytes()).isEqualTo(Quotas.POLARIS_DEFAULT_BYTES - 3);
    }

    @Test
    void deleting_a_missing_or_invalid_name_is_not_found() {
        assertThat(service.delete(UPLOADER, AREA, "never.csv")).isEqualTo(new DeleteOutcome.NotFound("never.csv"));
        assertThat(service.delete(UPLOADER, AREA, "../x")).isEqualTo(new DeleteOutcome.NotFound("../x"));
    }

    @Test
    void another_organization_cannot_touch_the_area_even_with_the_role() {
        Principal stranger = new Principal(new OrganizationId("globex"), "sa-9", Set.of(Role.MANAGE_FILES));
        assertThatThrownBy(() -> service.list(stranger, AREA)).isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> service.delete(stranger, AREA, "x")).isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> service.upload(new UploadCommand(stranger, AREA, "x", null, null, null,
                new ByteArrayInputStream(new byte[1])))).isInstanceOf(AccessDeniedException.class);
    }

    @Test
    void a_principal_without_a_role_is_denied() {
        Principal noRoles = new Principal(ACME, "sa-2", Set.of());
        assertThatThrownBy(() -> service.get(noRoles, AREA, "x"))
                .isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining("ReadFiles");
        assertThatThrownBy(() -> service.delete(noRoles, AREA, "x"))
                .isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining("ManageFiles");
    }

    @Test
    void the_read_only_role_lists_and_reads_but_never_changes_anything() throws IOException {
        upload("a.csv", bytes("a"));
        Principal reader = new Principal(ACME, "sa-3", Set.of(Role.READ_FILES));

        assertThat(service.list(reader, AREA).files()).hasSize(1);
        assertThat(service.get(reader, AREA, "a.csv")).isPresent();
        assertThat(service.open(reader, AREA, "a.csv", new ByteRange.Whole())).isPresent();
        assertThatThrownBy(() -> service.delete(reader, AREA, "a.csv")).isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining("ManageFiles");
        assertThatThrownBy(() -> service.upload(new UploadCommand(reader, AREA, "b.csv", null, null, null,
                new ByteArrayInputStream(new byte[1])))).isInstanceOf(AccessDeniedException.class);
        assertThat(service.list(reader, AREA).files()).hasSize(1);
    }

    @Test
    void projects_of_one_organization_are_separate_areas() throws IOException {
        upload("a.csv", bytes("a"));
        StagingArea other = new StagingArea(ACME, new ProjectId("p2"));
        assertThat(service.list(UPLOADER, other).files()).isEmpty();
        assertThat(service.get(UPLOADER, other, "a.csv")).isEmpty();
    }
}
