package dev.filestaging.adapter.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.filestaging.adapter.s3.testing.S3TestServer;
import dev.filestaging.adapter.s3.testing.S3TestServerExtension;
import dev.filestaging.ports.FileKey;
import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.out.ResumableFile;
import dev.filestaging.ports.out.ResumableUploads;
import dev.filestaging.ports.out.UploadTicket;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A writer killed after it ended its upload (a termination, or the commit of the last bytes) never releases the
 * upload's lock, and nobody takes it over: the upload has no state left to open. The expiry sweep removes it (found by
 * the model-based test of resumable uploads: {@code DELETE} killed after the termination left {@code uploads/{id}/lock}
 * in the bucket for good).
 */
class S3StrayLockTest {

    @RegisterExtension
    static final S3TestServerExtension S3 = new S3TestServerExtension();

    private static final StagingArea AREA = StagingArea.defaultProjectOf(new OrganizationId("acme"));

    @Test
    void the_lock_of_an_upload_ended_by_a_writer_that_died_is_removed_by_the_expiry_sweep() {
        S3TestServer s3 = S3.server();
        String bucket = S3.newBucket("stray-lock");
        Instant now = Instant.parse("2026-12-01T00:00:00Z");
        UploadTicket ticket = new UploadTicket("upload-0000000000001", new FileKey(AREA, "ended.csv"), 10,
                Map.of(), "sa-1", now, now.plusSeconds(3600));
        S3StagingStore dead = S3StagingStore.open(S3TestSettings.forBucket(s3, bucket));
        ResumableUploads uploads = dead.capabilities().resumableUploads().orElseThrow();
        uploads.reserve(ticket);
        ResumableFile file = ((ResumableUploads.Opened.Writing) uploads.openForWriting(ticket.id())).file();
        file.terminate(); // then the process dies: the file is never closed, its lock never released
        dead.close(); // its heartbeat goes, as once its timeout passed
        String upload = S3TestSettings.PREFIX + "uploads/" + ticket.id() + "/";
        assertThat(s3.objects(bucket, upload)).extracting(o -> o.key().substring(upload.length()))
                .containsExactly("lock");

        try (S3StagingStore next = S3StagingStore.open(S3TestSettings.forBucket(s3, bucket))) {
            assertThat(next.capabilities().resumableUploads().orElseThrow().expire(now)).isEmpty();
        }

        assertThat(s3.objects(bucket, upload)).as("objects of the ended upload").isEmpty();
    }
}
