package dev.filestaging.adapter.localfs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.filestaging.ports.Digest;
import dev.filestaging.ports.FileKey;
import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.StoredFile;
import dev.filestaging.ports.out.CommitOutcome;
import dev.filestaging.ports.out.ResumableFile;
import dev.filestaging.ports.out.ResumableUploads;
import dev.filestaging.ports.out.UploadTicket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A commit of a resumable upload cut by a crash after it wrote the file's metadata into the upload's directory, and
 * before its publish, must not stop every later commit of that upload (issue 24, found by the hostile tester: every
 * PATCH answered 500 on FileAlreadyExistsException until the upload expired).
 */
class LocalCommitCrashTest {

    private static final StagingArea AREA = StagingArea.defaultProjectOf(new OrganizationId("acme"));

    @TempDir
    Path data;

    @Test
    void a_commit_after_a_crash_that_left_the_metadata_and_the_staged_marker_behind_stages_the_file() throws Exception {
        FileKey key = new FileKey(AREA, "crashed.csv");
        String id = "upload-crash-0000001";
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        UploadTicket ticket = new UploadTicket(id, key, 6, Map.of(), "sa-1", now, now.plusSeconds(3600));
        try (LocalFsStagingStore store = LocalFsStagingStore.open(data)) {
            ResumableUploads uploads = store.capabilities().resumableUploads().orElseThrow();
            uploads.reserve(ticket);
            try (ResumableFile file = ((ResumableUploads.Opened.Writing) uploads.openForWriting(id)).file()) {
                file.write("abc".getBytes(StandardCharsets.US_ASCII), 0, 3);
                file.sync();
            }
        }
        // what the cut commit left: the file's metadata in the upload's directory, and the staged marker
        Files.writeString(data.resolve("uploads").resolve(id).resolve(DataDirectory.METADATA), "half a commit");
        Files.writeString(data.resolve("uploads").resolve(id + LocalResumableUploads.STAGED_SUFFIX), "half");

        try (LocalFsStagingStore store = LocalFsStagingStore.open(data)) {
            ResumableUploads uploads = store.capabilities().resumableUploads().orElseThrow();
            assertThat(uploads.status(id)).as("still open at its acknowledged offset").isPresent()
                    .get().extracting(ResumableUploads.UploadStatus::offset).isEqualTo(3L);
            assertThat(uploads.staged(id)).as("the marker of a publish that never happened is gone").isEmpty();
            StoredFile metadata = new StoredFile(UUID.randomUUID(), key, 6, dev.filestaging.ports.DataFormat.CSV, null,
                    Digest.md5("E80B5017098950FC58AAD83C8C14978E"), "sa-1", now);
            try (ResumableFile file = ((ResumableUploads.Opened.Writing) uploads.openForWriting(id)).file()) {
                file.write("def".getBytes(StandardCharsets.US_ASCII), 0, 3);
                assertThat(file.commit(metadata)).isEqualTo(new CommitOutcome.Committed(metadata));
            }
            assertThat(store.find(key)).contains(metadata);
            assertThat(uploads.staged(id)).isPresent();
        }
    }
}
