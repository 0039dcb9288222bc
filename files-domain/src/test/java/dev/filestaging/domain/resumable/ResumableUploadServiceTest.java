package dev.filestaging.domain.resumable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.filestaging.domain.CsvContent;
import dev.filestaging.domain.StagingService;
import dev.filestaging.domain.fixtures.InMemoryStorage;
import dev.filestaging.domain.quota.Quotas;
import dev.filestaging.domain.storage.ResumableUploads;
import dev.filestaging.domain.upload.ContentWriter;
import dev.filestaging.ports.DataFormat;
import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.Principal;
import dev.filestaging.ports.Role;
import dev.filestaging.ports.SpaceUsage;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.StoredFile;
import dev.filestaging.ports.fixtures.MutableClock;
import dev.filestaging.ports.in.ResumableState;
import dev.filestaging.ports.in.ResumeUploads.ChunkCheck;
import dev.filestaging.ports.in.ResumeUploads.CreateOutcome;
import dev.filestaging.ports.in.ResumeUploads.PatchOutcome;
import dev.filestaging.ports.in.ResumeUploads;
import dev.filestaging.ports.in.UploadCommand;
import dev.filestaging.ports.in.UploadOutcome;
import dev.filestaging.ports.in.UploadRequest;
import org.junit.jupiter.api.Test;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;

class ResumableUploadServiceTest {

    private static final OrganizationId ACME = new OrganizationId("acme");
    private static final StagingArea AREA = StagingArea.defaultProjectOf(ACME);
    private static final Principal UPLOADER = new Principal(ACME, "sa-1", Set.of(Role.MANAGE_FILES));

    private final InMemoryStorage store = new InMemoryStorage();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));
    private StagingService files = service(Quotas.uniform(Quotas.POLARIS_DEFAULT_BYTES));
    private ResumableUploadService uploads = files.resumableUploads(Duration.ofHours(24), 1L << 40);

    private StagingService service(Quotas quotas) {
        return new StagingService(store, quotas, clock, UUID::randomUUID, StagingService.contentWriterPool());
    }

    private static byte[] csv(int size) {
        return CsvContent.csv(size);
    }

    private static String md5Hex(byte[] bytes) throws Exception {
        return HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
    }

    private ResumableState create(String name, OptionalLong length) {
        CreateOutcome outcome = uploads.create(new UploadRequest(UPLOADER, AREA, name, null, null, null), length,
                Map.of("filename", name));
        return ((CreateOutcome.Created) outcome).state();
    }

    private PatchOutcome append(ResumableState upload, long offset, byte[] bytes, int from, int to) throws IOException {
        return uploads.append(UPLOADER, AREA, upload.id(), offset, new ByteArrayInputStream(bytes, from, to - from),
                Optional.empty(), OptionalLong.empty());
    }

    @Test
    void appends_of_any_sizes_stage_the_file_on_the_last_byte_as_one_request_would() throws Exception {
        byte[] content = csv(ContentWriter.CHUNK_BYTES * 2 + 1000);
        ResumableState upload = create("pieces.csv", OptionalLong.of(content.length));
        int[] cuts = {0, 10, 9000, ContentWriter.CHUNK_BYTES + 7, content.length};

        for (int i = 1; i < cuts.length - 1; i++) {
            PatchOutcome appended = append(upload, cuts[i - 1], content, cuts[i - 1], cuts[i]);
            assertThat(((PatchOutcome.Appended) appended).state().offset()).isEqualTo(cuts[i]);
            assertThat(store.list(AREA)).as("nothing is visible before the last byte").isEmpty();
        }
        PatchOutcome last = append(upload, cuts[cuts.length - 2], content, cuts[cuts.length - 2], content.length);

        StoredFile file = ((PatchOutcome.Completed) last).file();
        assertThat(file.name()).isEqualTo("pieces.csv");
        assertThat(file.sizeBytes()).isEqualTo(content.length);
        assertThat(file.digest().hash()).isEqualTo(md5Hex(content));
        assertThat(file.dataFormat()).isEqualTo(DataFormat.CSV);
        assertThat(file.uploadedByUserId()).isEqualTo("sa-1");
        assertThat(store.list(AREA)).containsExactly(file);
        ResumableState after = uploads.status(UPLOADER, AREA, upload.id()).orElseThrow();
        assertThat(after.staged()).as("the client learns where the file is").isTrue();
        assertThat(after.offset()).isEqualTo(content.length);
    }

    @Test
    void another_process_without_the_digest_state_rebuilds_it_from_the_stored_bytes() throws Exception {
        byte[] content = csv(300_000);
        ResumableState upload = create("restarted.csv", OptionalLong.of(content.length));
        append(upload, 0, content, 0, 100_000);

        uploads = files.resumableUploads(Duration.ofHours(24), 1L << 40); // as after a restart: nothing in memory
        PatchOutcome last = append(upload, 100_000, content, 100_000, content.length);

        assertThat(((PatchOutcome.Completed) last).file().digest().hash()).isEqualTo(md5Hex(content));
    }

    @Test
    void a_wrong_offset_appends_nothing_and_says_where_the_upload_stands() throws Exception {
        ResumableState upload = create("offset.csv", OptionalLong.of(20));
        append(upload, 0, csv(20), 0, 5);

        assertThat(append(upload, 3, csv(20), 3, 10)).isEqualTo(new PatchOutcome.OffsetMismatch(5));
        assertThat(uploads.status(UPLOADER, AREA, upload.id()).orElseThrow().offset()).isEqualTo(5);
    }

    @Test
    void a_chunk_with_a_wrong_checksum_is_discarded_and_the_next_good_one_goes_on() throws Exception {
        byte[] content = csv(1000);
        ResumableState upload = create("checked.csv", OptionalLong.of(content.length));
        byte[] firstHalfSha1 = MessageDigest.getInstance("SHA-1").digest(Arrays.copyOf(content, 500));

        PatchOutcome bad = uploads.append(UPLOADER, AREA, upload.id(), 0, new ByteArrayInputStream(content, 0, 500),
                Optional.of(new ChunkCheck("sha1", new byte[20])), OptionalLong.empty());
        PatchOutcome good = uploads.append(UPLOADER, AREA, upload.id(), 0, new ByteArrayInputStream(content, 0, 500),
                Optional.of(new ChunkCheck("sha1", firstHalfSha1)), OptionalLong.empty());
        PatchOutcome last = append(upload, 500, content, 500, 1000);

        assertThat(bad).isEqualTo(new PatchOutcome.ChecksumMismatch(0));
        assertThat(((PatchOutcome.Appended) good).state().offset()).isEqualTo(500);
        assertThat(((PatchOutcome.Completed) last).file().digest().hash()).isEqualTo(md5Hex(content));
    }

    @Test
    void a_body_that_breaks_off_keeps_what_arrived() throws Exception {
        byte[] content = csv(1000);
        ResumableState upload = create("broken.csv", OptionalLong.of(content.length));
        InputStream breaksAt600 = new java.io.SequenceInputStream(new ByteArrayInputStream(content, 0, 600),
                new InputStream() {
                    @Override
                    public int read() throws IOException {
                        throw new IOException("connection reset");
                    }
                });

        assertThatThrownBy(() -> uploads.append(UPLOADER, AREA, upload.id(), 0, breaksAt600, Optional.empty(),
                OptionalLong.empty())).hasMessage("connection reset");

        assertThat(uploads.status(UPLOADER, AREA, upload.id()).orElseThrow().offset()).isEqualTo(600);
        PatchOutcome last = append(upload, 600, content, 600, 1000);
        assertThat(((PatchOutcome.Completed) last).file().digest().hash()).isEqualTo(md5Hex(content));
    }

    @Test
    void more_bytes_than_the_length_are_refused_and_none_of_them_kept() throws Exception {
        ResumableState upload = create("long.csv", OptionalLong.of(10));

        assertThat(append(upload, 0, csv(20), 0, 20)).isInstanceOf(PatchOutcome.LengthMismatch.class);
        assertThat(uploads.status(UPLOADER, AREA, upload.id()).orElseThrow().offset()).isZero();
    }

    @Test
    void a_deferred_length_is_declared_by_a_later_append_which_then_completes() throws Exception {
        byte[] content = csv(700);
        ResumableState upload = create("deferred.csv", OptionalLong.empty());
        assertThat(((PatchOutcome.Appended) append(upload, 0, content, 0, 400)).state().length()).isEmpty();

        PatchOutcome last = uploads.append(UPLOADER, AREA, upload.id(), 400, new ByteArrayInputStream(content, 400, 300),
                Optional.empty(), OptionalLong.of(700));

        assertThat(((PatchOutcome.Completed) last).file().sizeBytes()).isEqualTo(700);
    }

    @Test
    void one_writer_at_a_time() throws Exception {
        ResumableState upload = create("busy.csv", OptionalLong.of(10));
        ResumableUploads.Opened other = store.uploads()
                .openForWriting(upload.id());
        try {
            assertThat(append(upload, 0, csv(10), 0, 5)).isEqualTo(new PatchOutcome.Busy());
            assertThat(uploads.terminate(UPLOADER, AREA, upload.id())).as("a termination waits for the writer too")
                    .isEqualTo(dev.filestaging.ports.in.ResumeUploads.Termination.BUSY);
        } finally {
            ((ResumableUploads.Opened.Writing) other).file().close();
        }
        assertThat(append(upload, 0, csv(10), 0, 5)).isInstanceOf(PatchOutcome.Appended.class);
    }

    @Test
    void the_name_is_reserved_from_creation_and_free_again_after_termination() throws Exception {
        ResumableState upload = create("reserved.csv", OptionalLong.of(10));

        assertThat(uploads.create(new UploadRequest(UPLOADER, AREA, "reserved.csv", null, null, null),
                OptionalLong.of(5), Map.of())).isEqualTo(new CreateOutcome.Refused(new UploadOutcome.NameTaken("reserved.csv")));
        assertThat(files.upload(new UploadCommand(UPLOADER, AREA, "reserved.csv", null, null, null,
                new ByteArrayInputStream(csv(5))))).isEqualTo(new UploadOutcome.NameTaken("reserved.csv"));

        assertThat(uploads.terminate(UPLOADER, AREA, upload.id())).isEqualTo(ResumeUploads.Termination.TERMINATED);
        assertThat(uploads.status(UPLOADER, AREA, upload.id())).isEmpty();
        assertThat(files.upload(new UploadCommand(UPLOADER, AREA, "reserved.csv", null, null, null,
                new ByteArrayInputStream(csv(5))))).isInstanceOf(UploadOutcome.Uploaded.class);
    }

    @Test
    void a_known_length_over_the_quota_or_the_limit_is_refused_before_any_byte() {
        files = service(Quotas.uniform(100));
        uploads = files.resumableUploads(Duration.ofHours(24), 1000);

        assertThat(uploads.create(new UploadRequest(UPLOADER, AREA, "big.csv", null, null, null), OptionalLong.of(101),
                Map.of())).isInstanceOf(CreateOutcome.Refused.class);
        assertThat(uploads.create(new UploadRequest(UPLOADER, AREA, "huge.csv", null, null, null),
                OptionalLong.of(1001), Map.of())).isEqualTo(new CreateOutcome.TooLarge(1000));
        assertThat(store.uploads()
                .isReserved(new dev.filestaging.ports.FileKey(AREA, "big.csv"))).isFalse();
    }

    @Test
    void a_known_length_is_held_against_the_quota_for_the_uploads_life_and_counted_once_when_staged() throws Exception {
        files = service(Quotas.uniform(1000));
        uploads = files.resumableUploads(Duration.ofHours(24), 1L << 40);
        byte[] content = csv(700);
        ResumableState held = create("held.csv", OptionalLong.of(content.length));

        assertThat(uploads.create(new UploadRequest(UPLOADER, AREA, "second.csv", null, null, null),
                OptionalLong.of(301), Map.of())).as("the first upload's 700 bytes are held").isEqualTo(
                new CreateOutcome.Refused(new UploadOutcome.QuotaExceeded(new SpaceUsage(1000, 700))));
        assertThat(files.upload(new UploadCommand(UPLOADER, AREA, "small.csv", null, null, null,
                new ByteArrayInputStream(csv(301))))).as("a one-request upload of what is not held")
                .isInstanceOf(UploadOutcome.QuotaExceeded.class);
        assertThat(files.upload(new UploadCommand(UPLOADER, AREA, "small.csv", null, null, null,
                new ByteArrayInputStream(csv(300))))).isInstanceOf(UploadOutcome.Uploaded.class);

        append(held, 0, content, 0, 400);
        assertThat(append(held, 400, content, 400, content.length)).as("its own hold is not counted twice")
                .isInstanceOf(PatchOutcome.Completed.class);
        assertThat(store.usedBytes(AREA)).isEqualTo(1000);

        files.delete(UPLOADER, AREA, "small.csv");
        ResumableState ended = create("ended.csv", OptionalLong.of(300));
        assertThat(uploads.terminate(UPLOADER, AREA, ended.id())).isEqualTo(ResumeUploads.Termination.TERMINATED);
        assertThat(uploads.create(new UploadRequest(UPLOADER, AREA, "again.csv", null, null, null),
                OptionalLong.of(300), Map.of())).as("a terminated upload holds nothing")
                .isInstanceOf(CreateOutcome.Created.class);
    }

    @Test
    void an_idle_upload_expires_and_another_areas_upload_is_not_found() throws Exception {
        ResumableState upload = create("idle.csv", OptionalLong.of(10));
        StagingArea other = StagingArea.defaultProjectOf(new OrganizationId("globex"));
        Principal stranger = new Principal(other.organization(), "sa-2", Set.of(Role.MANAGE_FILES));

        assertThat(uploads.status(stranger, other, upload.id())).isEmpty();
        assertThat(uploads.append(stranger, other, upload.id(), 0, new ByteArrayInputStream(csv(5)), Optional.empty(),
                OptionalLong.empty())).isEqualTo(new PatchOutcome.NotFound());

        clock.advance(Duration.ofHours(25));
        assertThat(uploads.expireIdle()).isEqualTo(1);
        assertThat(uploads.status(UPLOADER, AREA, upload.id())).isEmpty();
    }
}
