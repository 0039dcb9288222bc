package dev.filestaging.adapter.localfs.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.filestaging.ports.contract.BlobStoreContractTest;
import dev.filestaging.ports.out.StorageException;
import dev.filestaging.ports.out.blob.BlobCheckpoint;
import dev.filestaging.ports.out.blob.BlobStore;
import dev.filestaging.ports.out.blob.BlobWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalBlobStoreTest extends BlobStoreContractTest {

    private static final Path FULL_DEVICE = Path.of("/dev/full");

    @TempDir
    Path data;

    private Path blobs() {
        return data.resolve("blobs");
    }

    @Override
    protected BlobStore newStore() {
        return LocalBlobStore.open(blobs());
    }

    @Override
    protected BlobStore sameStorage() {
        return LocalBlobStore.open(blobs());
    }

    /**
     * A blob whose file is Linux's {@code /dev/full}, where every write fails with ENOSPC: the kernel's own full disk,
     * without a file system to fill.
     */
    @Override
    protected BlobWriter writerOnFailingStorage() throws Exception {
        Assumptions.assumeTrue(Files.isWritable(FULL_DEVICE), "needs Linux's /dev/full");
        String id = newId();
        Files.createSymbolicLink(((LocalBlobStore) store).unfinished(id), FULL_DEVICE);
        return store.reopen(id, BlobCheckpoint.start());
    }

    @Test
    void a_full_disk_is_a_storage_full_failure() throws Exception {
        try (BlobWriter writer = writerOnFailingStorage()) {
            assertThatThrownBy(() -> writer.write(new byte[4096], 0, 4096))
                    .isInstanceOf(StorageException.StorageFullException.class);
        }
    }

    @Test
    void an_unfinished_blob_is_a_part_file_and_finishing_renames_it() throws Exception {
        String id = newId();
        try (BlobWriter writer = store.create(id)) {
            writer.write(new byte[] {1, 2, 3}, 0, 3);
            writer.sync();
            assertThat(files()).containsExactly(id + ".part");
            writer.finish();
        }
        assertThat(files()).containsExactly(id);
    }

    @Test
    void discarding_what_was_written_since_the_last_sync_cuts_the_part_file_back_to_it() throws Exception {
        String id = newId();
        BlobCheckpoint synced;
        try (BlobWriter writer = store.createResumable(id)) {
            writer.write(new byte[1000], 0, 1000);
            synced = writer.sync();
            writer.write(new byte[8192], 0, 8192);
            writer.discardUnsynced();
            assertThat(Files.size(blobs().resolve(id + ".part"))).as("bytes on disk").isEqualTo(1000);
            assertThat(writer.written()).isEqualTo(1000);
            writer.write(new byte[] {7}, 0, 1);
            assertThat(writer.sync().offset()).as("writing goes on from the last sync").isEqualTo(1001);
        }
        assertThat(synced.offset()).isEqualTo(1000);
    }

    @Test
    void a_write_that_would_leave_less_than_the_headroom_free_is_refused_as_full_and_writes_nothing() throws Exception {
        LocalBlobStore tight = LocalBlobStore.open(blobs(), Files.getFileStore(blobs()).getUsableSpace() + 1);
        String id = newId();
        try (BlobWriter writer = tight.create(id)) {
            assertThatThrownBy(() -> writer.write(new byte[10], 0, 10))
                    .isInstanceOf(StorageException.StorageFullException.class)
                    .hasMessageContaining("so that deletes can still be recorded");
            assertThat(writer.written()).isZero();
        }
        assertThat(Files.size(blobs().resolve(id + ".part"))).isZero();
    }

    @Test
    void a_reopen_at_a_checkpoint_beyond_the_file_fails() throws Exception {
        String id = newId();
        try (BlobWriter writer = store.create(id)) {
            writer.write(new byte[10], 0, 10);
            writer.sync();
        }
        assertThatThrownBy(() -> store.reopen(id, new BlobCheckpoint(11, ""))).isInstanceOf(StorageException.class);
    }

    @Test
    void files_that_are_not_blobs_are_not_listed() throws Exception {
        Files.writeString(blobs().resolve("README"), "not a blob");
        Files.writeString(blobs().resolve("x.part"), "not a blob either");
        assertThat(enumerate(store)).isEmpty();
    }

    private java.util.List<String> files() throws Exception {
        try (Stream<Path> list = Files.list(blobs())) {
            return list.map(p -> p.getFileName().toString()).toList();
        }
    }
}
