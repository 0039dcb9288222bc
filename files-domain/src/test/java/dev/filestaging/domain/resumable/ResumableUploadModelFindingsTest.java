package dev.filestaging.domain.resumable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.filestaging.domain.StagingService;
import dev.filestaging.domain.fixtures.InMemoryStorage;
import dev.filestaging.domain.quota.Quotas;
import dev.filestaging.domain.storage.ResumableUploads;
import dev.filestaging.ports.FileKey;
import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.Principal;
import dev.filestaging.ports.Role;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.fixtures.MutableClock;
import dev.filestaging.ports.in.ResumableState;
import dev.filestaging.ports.in.ResumeUploads.CreateOutcome;
import dev.filestaging.ports.in.ResumeUploads.PatchOutcome;
import dev.filestaging.ports.in.UploadOutcome;
import dev.filestaging.ports.in.UploadRequest;
import dev.filestaging.ports.out.StorageException;
import dev.filestaging.ports.out.UploadTicket;
import org.junit.jupiter.api.Test;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;

/**
 * Defects found by the model-based test of resumable uploads ({@code ResumableUploadsModelTest} in app), each with
 * the minimal sequence that showed it.
 */
class ResumableUploadModelFindingsTest {

    private static final OrganizationId ACME = new OrganizationId("acme");
    private static final StagingArea AREA = StagingArea.defaultProjectOf(ACME);
    private static final Principal UPLOADER = new Principal(ACME, "sa-1", Set.of(Role.MANAGE_FILES));

    private final InMemoryStorage store = new InMemoryStorage();
    private final StagingService files = new StagingService(store, Quotas.uniform(1_000_000),
            new MutableClock(Instant.parse("2026-12-01T00:00:00Z")), UUID::randomUUID,
            StagingService.contentWriterPool());
    private final ResumableUploadService uploads = files.resumableUploads(Duration.ofHours(24), 1L << 40);

    private CreateOutcome create(String name, long length) {
        return create(name, OptionalLong.of(length));
    }

    private CreateOutcome create(String name, OptionalLong length) {
        return uploads.create(new UploadRequest(UPLOADER, AREA, name, null, null, null), length,
                Map.of("filename", name));
    }

    private PatchOutcome append(ResumableState upload, long offset, byte[] bytes, OptionalLong declared)
            throws IOException {
        return uploads.append(UPLOADER, AREA, upload.id(), offset, new ByteArrayInputStream(bytes), Optional.empty(),
                declared);
    }

    private static byte[] csv(int size) {
        byte[] content = new byte[size];
        for (int i = 0; i < size; i++) {
            content[i] = (byte) (i % 10 == 9 ? '\n' : '0' + i % 10);
        }
        return content;
    }

    /**
     * A length declared late holds its bytes of the quota from then on, so it must fit like a length given at
     * creation: recorded unchecked, it let the upload hold more than the quota and then stage a file over it (the
     * completion only checks the bytes beyond what the upload holds). Sequence: create deferred; PATCH at 0 with no
     * bytes declaring Upload-Length beyond what the quota leaves.
     */
    @Test
    void a_length_declared_late_that_the_quota_cannot_hold_is_declined_and_the_upload_stays_deferred()
            throws IOException {
        ResumableState upload = ((CreateOutcome.Created) create("late.csv", OptionalLong.empty())).state();
        byte[] content = csv(1_500_000);

        PatchOutcome declared = append(upload, 0, new byte[0], OptionalLong.of(content.length));

        assertThat(declared).isInstanceOf(PatchOutcome.Declined.class);
        assertThat(((PatchOutcome.Declined) declared).refusal()).isInstanceOf(UploadOutcome.QuotaExceeded.class);
        ResumableState after = uploads.status(UPLOADER, AREA, upload.id()).orElseThrow();
        assertThat(after.offset()).isZero();
        assertThat(after.length()).as("the length was not recorded").isEmpty();
        assertThat(files.list(UPLOADER, AREA).space().usedBytes()).as("what the open upload holds")
                .isEqualTo(UploadTicket.DEFERRED_MINIMUM_HOLD);
        assertThat(append(upload, 0, content, OptionalLong.empty())).as("the bytes cannot follow either")
                .isInstanceOf(PatchOutcome.Declined.class);
        assertThat(files.list(UPLOADER, AREA).files()).isEmpty();
    }

    /**
     * A creation answered with a failure leaves nothing behind: the client never learns the upload's id, so an upload
     * left open would hold its name and space, unreachable, until it expired. Sequence: create a.csv of 0 bytes, the
     * storage failing at the commit.
     */
    @Test
    void an_empty_upload_whose_staging_fails_at_creation_leaves_no_upload_holding_its_name() {
        store.failResumableCommits(true);

        assertThatThrownBy(() -> create("empty.csv", 0)).isInstanceOf(StorageException.class);

        ResumableUploads resumable = store.uploads();
        assertThat(resumable.openCount(AREA)).as("open uploads after the failed creation").isZero();
        assertThat(resumable.isReserved(new FileKey(AREA, "empty.csv"))).isFalse();
        store.failResumableCommits(false);
        CreateOutcome again = create("empty.csv", 0);
        assertThat(again).as("the name is free for the client's retry").isInstanceOf(CreateOutcome.Created.class);
        assertThat(((CreateOutcome.Created) again).state().staged()).isTrue();
        assertThat(files.list(UPLOADER, AREA).space().usedBytes()).isZero();
    }
}
