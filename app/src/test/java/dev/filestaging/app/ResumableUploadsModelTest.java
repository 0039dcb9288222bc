package dev.filestaging.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.filestaging.adapter.localfs.LocalStorage;
import dev.filestaging.domain.StagingService;
import dev.filestaging.domain.storage.CatalogStagingStore;
import dev.filestaging.domain.storage.StagingStore;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.state.ActionChain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The model-based test of resumable uploads ({@link UploadsModel}) on local disk: the domain's service over a real
 * data directory, restarted and killed at random points, checked after every step, down to what the directory holds.
 */
class ResumableUploadsModelTest {

    /** Sequences, and steps in each: together about 35 s on two cores (1,000 × 30). */
    static final int SEQUENCES = 1000;
    static final int STEPS = 30;

    private static final UploadsModelActions ACTIONS = new UploadsModelActions();
    private static ExecutorService writers;

    @BeforeContainer
    static void start() {
        writers = StagingService.contentWriterPool();
    }

    @AfterContainer
    static void stop() {
        ACTIONS.closeAll();
        writers.shutdownNow();
        System.out.printf("resumable uploads model, local disk: %d sequences, %d steps%n", ACTIONS.sequences.get(),
                ACTIONS.steps.get());
    }

    @AfterTry
    void closeModel() {
        ACTIONS.closeAll();
    }

    @Property(tries = SEQUENCES)
    void resumable_uploads_on_local_disk_keep_to_the_model(@ForAll("chains") ActionChain<UploadsModel> chain) {
        ACTIONS.run(chain);
    }

    @Provide
    Arbitrary<ActionChain<UploadsModel>> chains() {
        return ACTIONS.chains(() -> new UploadsModel(new DataDirectory(), writers), STEPS);
    }

    /** One data directory, one instance at a time (it is locked), left as it was by a kill. */
    static final class DataDirectory implements UploadsModel.Storage {
        private final Path root;
        private final Map<StagingStore, LocalStorage> opened = new HashMap<>();
        /** The checks' own connection to the catalog, kept across restarts: opening one per step costs more. */
        private Connection checker;

        DataDirectory() {
            try {
                root = Files.createTempDirectory("model-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public int instances() {
            return 1;
        }

        @Override
        public StagingStore open() {
            LocalStorage local = LocalStorage.open(root);
            StagingStore store = new CatalogStagingStore(local.catalog(), local.blobs(), Clock.systemUTC(),
                    Duration.ofMinutes(1));
            opened.put(store, local);
            return store;
        }

        /** A kill lets go of the directory's lock as a dead process does, and of nothing else. */
        @Override
        public void close(StagingStore store, boolean killed) {
            opened.remove(store).close();
        }

        /**
         * Nothing but the model's: the catalog's files, open uploads and usage are the model's; each open upload's
         * blob holds exactly its acknowledged bytes and each file's blob its bytes; no other blob unless a kill cut a
         * commit or a write short (an orphan for the sweep); no temp or trash entries.
         */
        @Override
        public void checkLeftovers(UploadsModel model) {
            assertThat(list(root.resolve("tmp"))).as("temp entries").isEmpty();
            assertThat(list(root.resolve("trash"))).as("trash entries").isEmpty();
            Map<String, UploadsModel.Phase> phases = model.phases();
            long open = phases.values().stream().filter(phase -> phase == UploadsModel.Phase.OPEN).count();
            Set<String> blobs = new HashSet<>();
            try (Statement s = checker().createStatement()) {
                ResultSet rows = s.executeQuery("SELECT count(*), coalesce(sum(size_bytes), 0) FROM files");
                rows.next();
                assertThat(rows.getLong(1)).as("files in the catalog").isEqualTo(model.files.size());
                long used = rows.getLong(2);
                rows = s.executeQuery("SELECT coalesce(sum(used_bytes), 0), coalesce(sum(files), 0),"
                        + " coalesce(sum(open_uploads), 0) FROM areas");
                rows.next();
                assertThat(rows.getLong(1)).as("used bytes counted").isEqualTo(used);
                assertThat(rows.getLong(2)).as("files counted").isEqualTo(model.files.size());
                assertThat(rows.getLong(3)).as("open uploads counted").isEqualTo(open);
                rows = s.executeQuery("SELECT id, blob_id, checkpoint_offset FROM uploads WHERE state = 'open'");
                Map<String, Long> offsets = new HashMap<>();
                while (rows.next()) {
                    offsets.put(rows.getString(1), rows.getLong(3));
                    Path part = root.resolve("blobs").resolve(rows.getString(2) + ".part");
                    if (Files.exists(part)) { // an upload with no byte yet may have no blob yet
                        blobs.add(part.getFileName().toString());
                    }
                    if (!model.killedWhileWriting) {
                        assertThat(Files.exists(part) ? size(part) : 0)
                                .as("bytes on disk of upload %s: only the acknowledged ones", rows.getString(1))
                                .isEqualTo(rows.getLong(3));
                    }
                }
                for (UploadsModel.Up u : model.uploads) {
                    if (u.phase == UploadsModel.Phase.OPEN) {
                        assertThat(offsets.get(u.id)).as("recorded offset of %s", u).isEqualTo(u.acked);
                    }
                }
                assertThat(offsets).as("open uploads (model: %s)", phases).hasSize((int) open);
                rows = s.executeQuery("SELECT blob_id, size_bytes FROM files");
                while (rows.next()) {
                    blobs.add(rows.getString(1));
                    assertThat(size(root.resolve("blobs").resolve(rows.getString(1)))).as("a file's blob")
                            .isEqualTo(rows.getLong(2));
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            if (!model.killedWhileWriting) {
                assertThat(list(root.resolve("blobs")).stream().map(p -> p.getFileName().toString()))
                        .as("blobs: of files and open uploads only").containsExactlyInAnyOrderElementsOf(blobs);
            }
        }

        private Connection checker() throws SQLException {
            if (checker == null) {
                checker = DriverManager.getConnection("jdbc:sqlite:" + root.resolve("catalog.db"));
            }
            return checker;
        }

        private static Set<Path> list(Path directory) {
            if (!Files.isDirectory(directory)) {
                return Set.of();
            }
            try (Stream<Path> entries = Files.list(directory)) {
                return entries.collect(Collectors.toSet());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static long size(Path file) {
            try {
                return Files.size(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            if (checker != null) {
                try {
                    checker.close();
                } catch (SQLException ignored) {
                    // a read-only connection: nothing to lose
                }
            }
            deleteTree(root);
        }

        static void deleteTree(Path root) {
            try (Stream<Path> paths = Files.walk(root)) {
                for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                    Files.deleteIfExists(path);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
