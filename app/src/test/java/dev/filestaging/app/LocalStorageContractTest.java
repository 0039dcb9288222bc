package dev.filestaging.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.filestaging.adapter.localfs.LocalStorage;
import dev.filestaging.domain.contract.StagingStoreContractTest;
import dev.filestaging.domain.storage.CatalogStagingStore;
import dev.filestaging.domain.storage.StagingStore;
import dev.filestaging.ports.FileKey;
import dev.filestaging.ports.out.StorageException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The store contract on the default storage: the local catalog (SQLite) and the local blob directory, through the
 * domain's {@link CatalogStagingStore}, as {@code FILES_STORAGE=local} serves them; a reopen is a new process on the
 * same data directory.
 */
class LocalStorageContractTest extends StagingStoreContractTest {
    @TempDir
    Path data;
    private LocalStorage open;

    @Override
    protected StagingStore newStore() {
        return store();
    }

    @Override
    protected StagingStore reopen(StagingStore current) {
        open.close();
        return store();
    }

    private StagingStore store() {
        open = LocalStorage.open(data);
        return new CatalogStagingStore(open.catalog(), open.blobs(), Clock.systemUTC(), Duration.ofMinutes(1));
    }

    /** Every blob is a staged file's or an open upload's. */
    @Override
    protected void assertNothingPendingLeftBehind() throws Exception {
        List<String> blobs = new ArrayList<>();
        open.blobs().enumerate(blob -> blobs.add(blob.blobId()));
        assertThat(open.catalog().referenced(blobs)).as("blobs the catalog refers to").hasSameSizeAs(blobs);
        try (Stream<Path> top = Files.list(data)) {
            assertThat(top.map(path -> path.getFileName().toString()))
                    .as("the data directory: the catalog, the blobs, the lock and the guard against earlier versions")
                    .allMatch(name -> name.startsWith("catalog.db") || name.equals("blobs") || name.equals(".lock")
                            || name.equals("staging"));
        }
    }

    @Test
    void a_second_process_cannot_open_a_data_directory_in_use_and_says_so() {
        assertThatThrownBy(() -> LocalStorage.open(data))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("is in use by another process")
                .hasMessageContaining("FILES_DATA_DIR");
    }

    @Test
    void the_data_directory_is_free_again_once_closed_and_keeps_its_files() {
        stage(new FileKey(AREA, "kept.csv"), bytes("a,b\n"));
        open.close();
        StagingStore again = store();
        assertThat(again.find(new FileKey(AREA, "kept.csv"))).isPresent();
    }

    @Test
    void no_user_supplied_name_becomes_part_of_a_path() throws Exception {
        stage(new FileKey(AREA, "../../../outside.csv"), bytes("x"));
        try (Stream<Path> all = Files.walk(data.getParent())) {
            assertThat(all.map(Path::getFileName).map(Path::toString)).noneMatch(name -> name.contains("outside"));
        }
    }

    @Test
    void a_committed_file_on_disk_is_its_content_byte_for_byte() throws Exception {
        byte[] content = new byte[1_000_003];
        new java.util.Random(1).nextBytes(content);
        stage(new FileKey(AREA, "exact.bin"), content);
        try (Stream<Path> blobs = Files.list(data.resolve("blobs"))) {
            assertThat(Files.readAllBytes(blobs.findFirst().orElseThrow())).isEqualTo(content);
        }
    }

    @AfterEach
    void close() {
        if (open != null) {
            open.close();
        }
    }
}
