package dev.filestaging.adapter.localfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.filestaging.ports.Digest;
import dev.filestaging.ports.FileKey;
import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.StoredFile;
import dev.filestaging.ports.out.StorageException;
import dev.filestaging.ports.out.blob.BlobWriter;
import dev.filestaging.ports.out.catalog.Catalog;
import dev.filestaging.ports.out.catalog.CatalogFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What opening a data directory settles, and what it refuses (found by the hostile tester of issue 25). */
class LocalStorageTest {
    private static final StagingArea AREA = StagingArea.defaultProjectOf(new OrganizationId("acme"));

    @TempDir
    Path data;

    @Test
    void a_new_catalog_beside_blobs_is_refused_and_the_blobs_are_left_alone() throws Exception {
        try (LocalStorage storage = LocalStorage.open(data)) {
            stage(storage, "kept.csv", "a,b\n");
        }
        Files.move(data.resolve("catalog.db"), data.resolve("catalog.db.lost"));
        Files.deleteIfExists(data.resolve("catalog.db-wal"));
        Files.deleteIfExists(data.resolve("catalog.db-shm"));

        assertThatThrownBy(() -> LocalStorage.open(data)).isInstanceOf(StorageException.class)
                .hasMessageContaining("the catalog was lost or moved").hasMessageContaining("holds 1 blobs");
        try (Stream<Path> blobs = Files.list(data.resolve("blobs"))) {
            assertThat(blobs).hasSize(1);
        }
    }

    @Test
    void a_finished_blob_no_file_has_is_quarantined_and_an_unfinished_one_removed() throws Exception {
        String finished = "orphan-finished-000001";
        String unfinished = "orphan-unfinished-00001";
        try (LocalStorage storage = LocalStorage.open(data)) {
            stage(storage, "kept.csv", "a,b\n");
            try (BlobWriter writer = storage.blobs().create(finished)) {
                writer.write(new byte[] {1, 2}, 0, 2);
                writer.finish();
            }
            try (BlobWriter writer = storage.blobs().create(unfinished)) {
                writer.write(new byte[] {3}, 0, 1);
                writer.sync();
            }
        }
        try (LocalStorage storage = LocalStorage.open(data)) {
            assertThat(storage.catalog().find(new FileKey(AREA, "kept.csv"))).isPresent();
        }
        assertThat(data.resolve("quarantine/blobs").resolve(finished)).hasBinaryContent(new byte[] {1, 2});
        assertThat(data.resolve("blobs").resolve(unfinished + ".part")).doesNotExist();
        assertThat(data.resolve("blobs").resolve(finished)).doesNotExist();
    }

    @Test
    void a_file_named_staging_keeps_an_earlier_version_off_and_says_why() throws Exception {
        LocalStorage.open(data).close();
        assertThat(data.resolve("staging")).isRegularFile();
        assertThat(Files.readString(data.resolve("staging"))).contains("cannot read this one");
        // an earlier version creates its directory 'staging' at start: that is what stops it
        assertThatThrownBy(() -> Files.createDirectories(data.resolve("staging")))
                .isInstanceOf(java.nio.file.FileAlreadyExistsException.class);
        LocalStorage.open(data).close(); // and this version starts as before
    }

    @Test
    void the_catalog_deleted_while_serving_makes_the_storage_unhealthy() throws Exception {
        try (LocalStorage storage = LocalStorage.open(data)) {
            assertThat(storage.catalog().health().serving()).isTrue();
            Files.delete(data.resolve("catalog.db"));
            assertThat(storage.catalog().health().serving()).isFalse();
            assertThat(storage.catalog().health().detail()).contains("is gone");
        }
    }

    private static void stage(LocalStorage storage, String name, String content) {
        byte[] bytes = content.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String blobId = "blob-" + UUID.randomUUID();
        try (BlobWriter writer = storage.blobs().create(blobId)) {
            writer.write(bytes, 0, bytes.length);
            writer.finish();
        }
        FileKey key = new FileKey(AREA, name);
        storage.catalog().commit(new CatalogFile(new StoredFile(UUID.randomUUID(), key, bytes.length, null, null,
                Digest.md5("D41D8CD98F00B204E9800998ECF8427E"), "sa-1", Instant.now()), blobId), Catalog.NO_LIMIT);
    }
}
