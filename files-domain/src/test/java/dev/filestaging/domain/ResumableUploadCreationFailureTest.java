package dev.filestaging.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.filestaging.ports.FileKey;
import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.Principal;
import dev.filestaging.ports.Role;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.fixtures.InMemoryStagingStore;
import dev.filestaging.ports.fixtures.MutableClock;
import dev.filestaging.ports.in.ResumeUploads.CreateOutcome;
import dev.filestaging.ports.in.UploadRequest;
import dev.filestaging.ports.out.ResumableUploads;
import dev.filestaging.ports.out.StorageException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A creation answered with a failure leaves nothing behind: the client never learns the upload's id, so an upload
 * left open would hold its name and space, unreachable, until it expired (found by the model-based test of resumable
 * uploads: {@code create a.csv 0 bytes} with the storage failing at the commit).
 */
class ResumableUploadCreationFailureTest {

    private static final OrganizationId ACME = new OrganizationId("acme");
    private static final StagingArea AREA = StagingArea.defaultProjectOf(ACME);
    private static final Principal UPLOADER = new Principal(ACME, "sa-1", Set.of(Role.MANAGE_FILES));

    private final InMemoryStagingStore store = new InMemoryStagingStore();
    private final StagingService files = new StagingService(store, Quotas.uniform(1_000_000),
            new MutableClock(Instant.parse("2026-12-01T00:00:00Z")), UUID::randomUUID,
            StagingService.contentWriterPool());
    private final ResumableUploadService uploads = files.resumableUploads(Duration.ofHours(24), 1L << 40);

    private CreateOutcome create(String name, long length) {
        return uploads.create(new UploadRequest(UPLOADER, AREA, name, null, null, null), OptionalLong.of(length),
                Map.of("filename", name));
    }

    @Test
    void an_empty_upload_whose_staging_fails_at_creation_leaves_no_upload_holding_its_name() {
        store.failResumableCommits(true);

        assertThatThrownBy(() -> create("empty.csv", 0)).isInstanceOf(StorageException.class);

        ResumableUploads resumable = store.capabilities().resumableUploads().orElseThrow();
        assertThat(resumable.openCount(AREA)).as("open uploads after the failed creation").isZero();
        assertThat(resumable.isReserved(new FileKey(AREA, "empty.csv"))).isFalse();
        store.failResumableCommits(false);
        CreateOutcome again = create("empty.csv", 0);
        assertThat(again).as("the name is free for the client's retry").isInstanceOf(CreateOutcome.Created.class);
        assertThat(((CreateOutcome.Created) again).state().staged()).isTrue();
        assertThat(files.list(UPLOADER, AREA).space().usedBytes()).isZero();
    }
}
