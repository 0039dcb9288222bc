package dev.filestaging.adapter.localfs;

import dev.filestaging.ports.ByteRange;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.filestaging.ports.FileKey;
import dev.filestaging.ports.StoredFile;
import dev.filestaging.ports.contract.StagingStoreContractTest;
import dev.filestaging.ports.out.CommitOutcome;
import dev.filestaging.ports.out.PendingFile;
import dev.filestaging.ports.out.StagingStore;
import dev.filestaging.ports.out.StorageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalFsStagingStoreTest extends StagingStoreContractTest {

    @TempDir
    Path dataDirectory;

    @Override
    protected StagingStore newStore() {
        return LocalFsStagingStore.open(dataDirectory);
    }

    @Override
    protected StagingStore reopen(StagingStore current) {
        // what a crash leaves: the lock goes with the process, pending directories stay on disk
        ((LocalFsStagingStore) current).close();
        return LocalFsStagingStore.open(dataDirectory);
    }

    @Override
    protected boolean offersResumableUploads() {
        return true;
    }

    @Override
    protected void assertNothingPendingLeftBehind() throws IOException {
        assertThat(entries(dataDirectory.resolve("tmp"))).isEmpty();
        assertThat(entries(dataDirectory.resolve("trash"))).isEmpty();
        assertThat(entries(dataDirectory.resolve("uploads")).map(Path::getFileName).map(Path::toString))
                .as("every upload directory is an open upload's, every marker a staged upload's")
                .allMatch(id -> id.endsWith(LocalResumableUploads.STAGED_SUFFIX)
                        ? store.capabilities().resumableUploads().orElseThrow()
                                .staged(id.substring(0, id.length() - LocalResumableUploads.STAGED_SUFFIX.length()))
                                .isPresent()
                        : store.capabilities().resumableUploads().orElseThrow().status(id).isPresent());
    }

    private static Stream<Path> entries(Path directory) throws IOException {
        try (Stream<Path> list = Files.list(directory)) {
            return list.toList().stream();
        }
    }

    @Test
    void a_second_store_cannot_open_a_data_directory_in_use_and_says_so() {
        assertThatThrownBy(() -> LocalFsStagingStore.open(dataDirectory))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("is in use by another process")
                .hasMessageContaining("FILES_DATA_DIR");
    }

    @Test
    void the_data_directory_is_free_again_once_the_store_is_closed() {
        ((LocalFsStagingStore) store).close();
        store = LocalFsStagingStore.open(dataDirectory);
        assertThat(store.list(AREA)).isEmpty();
    }

    @Test
    void no_user_supplied_name_becomes_part_of_a_path() throws IOException {
        stage(new FileKey(AREA, "../../../outside.csv"), bytes("x"));

        try (Stream<Path> all = Files.walk(dataDirectory.getParent())) {
            assertThat(all.map(Path::getFileName).map(Path::toString)).doesNotContain("outside.csv");
        }
    }

    @Test
    void a_committed_file_on_disk_is_its_content_byte_for_byte() throws IOException {
        byte[] content = new byte[1_000_003];
        new java.util.Random(1).nextBytes(content);
        FileKey key = new FileKey(AREA, "exact.bin");
        stage(key, content);

        try (Stream<Path> files = Files.find(dataDirectory.resolve("staging"), 5,
                (path, attributes) -> path.getFileName().toString().equals("content"))) {
            Path onDisk = files.findFirst().orElseThrow();
            assertThat(Files.readAllBytes(onDisk)).isEqualTo(content);
        }
    }

    @Test
    void files_larger_than_the_sync_behind_interval_commit_intact_or_discard_cleanly_while_syncs_run() throws IOException {
        byte[] chunk = new byte[1024 * 1024];
        new java.util.Random(3).nextBytes(chunk);
        long chunks = 3 * SyncBehind.INTERVAL_BYTES / chunk.length + 1;
        FileKey kept = new FileKey(AREA, "kept.bin");
        java.security.MessageDigest written = md5();
        try (PendingFile pending = store.create(kept)) {
            for (int i = 0; i < chunks; i++) {
                pending.write(chunk, 0, chunk.length);
                written.update(chunk);
            }
            StoredFile metadata = metadataFor(kept, new byte[0]);
            assertThat(pending.commit(new StoredFile(metadata.id(), kept, chunks * chunk.length, null, null,
                    metadata.digest(), metadata.uploadedByUserId(), metadata.uploadedOn())))
                    .isInstanceOf(CommitOutcome.Committed.class);
        }
        java.security.MessageDigest read = md5();
        try (java.io.InputStream content = store.open(kept, ByteRange.WHOLE).orElseThrow().content()) {
            content.transferTo(new java.security.DigestOutputStream(java.io.OutputStream.nullOutputStream(), read));
        }
        assertThat(read.digest()).isEqualTo(written.digest());

        // discarded right after crossing the interval, so a sync of the file may still be running as it goes
        PendingFile dropped = store.create(new FileKey(AREA, "dropped.bin"));
        for (long sent = 0; sent <= SyncBehind.INTERVAL_BYTES; sent += chunk.length) {
            dropped.write(chunk, 0, chunk.length);
        }
        dropped.close();
        assertThat(store.find(new FileKey(AREA, "dropped.bin"))).isEmpty();
        assertNothingPendingLeftBehind();
    }

    private static java.security.MessageDigest md5() {
        try {
            return java.security.MessageDigest.getInstance("MD5");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void a_pending_file_cannot_be_written_after_it_was_discarded() {
        PendingFile pending = store.create(new FileKey(AREA, "closed.csv"));
        pending.close();
        assertThatThrownBy(() -> pending.write(new byte[1], 0, 1)).isInstanceOf(IllegalStateException.class);
        assertThat(store.find(new FileKey(AREA, "closed.csv"))).isEmpty();
    }

    @Test
    void a_staged_file_whose_content_was_truncated_behind_our_back_is_quarantined_at_restart() throws IOException {
        FileKey key = new FileKey(AREA, "tampered.csv");
        assertThat(stage(key, bytes("abcdef"))).isInstanceOf(CommitOutcome.Committed.class);
        try (Stream<Path> files = Files.find(dataDirectory.resolve("staging"), 5,
                (path, attributes) -> path.getFileName().toString().equals("content"))) {
            Files.write(files.findFirst().orElseThrow(), bytes("abc"));
        }

        store = reopen(store);

        assertThat(store.find(key)).isEmpty();
        assertThat(entries(dataDirectory.resolve("quarantine"))).hasSize(1);
        assertThat(stage(key, bytes("fresh"))).isInstanceOf(CommitOutcome.Committed.class);
    }
}
