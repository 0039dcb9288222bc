package dev.filestaging.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.filestaging.adapter.localfs.LocalFsStagingStore;
import dev.filestaging.domain.StagingService;
import dev.filestaging.ports.out.StagingStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.state.ActionChain;

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
            return LocalFsStagingStore.open(root);
        }

        /** A kill lets go of the directory's lock as a dead process does, and of nothing else. */
        @Override
        public void close(StagingStore store, boolean killed) {
            ((LocalFsStagingStore) store).close();
        }

        /**
         * Nothing but the model's: no temp or trash entries, one directory per open upload holding exactly its
         * acknowledged bytes, notes only of staged uploads, and one directory per staged file.
         */
        @Override
        public void checkLeftovers(UploadsModel model) {
            assertThat(list(root.resolve("tmp"))).as("temp entries").isEmpty();
            assertThat(list(root.resolve("trash"))).as("trash entries").isEmpty();
            Map<String, UploadsModel.Phase> phases = model.phases();
            Set<String> directories = new HashSet<>();
            for (Path entry : list(root.resolve("uploads"))) {
                String name = entry.getFileName().toString();
                if (name.endsWith(".staged")) {
                    assertThat(phases.get(name.substring(0, name.length() - ".staged".length())))
                            .as("the note %s is of a staged upload", name).isEqualTo(UploadsModel.Phase.STAGED);
                } else {
                    directories.add(name);
                }
            }
            Set<String> open = model.uploads.stream().filter(u -> u.phase == UploadsModel.Phase.OPEN)
                    .map(u -> u.id).collect(Collectors.toSet());
            assertThat(directories).as("upload directories (uploads: %s)", model.uploads).isEqualTo(open);
            for (UploadsModel.Up u : model.uploads) {
                if (u.phase == UploadsModel.Phase.OPEN) {
                    assertThat(size(root.resolve("uploads").resolve(u.id).resolve("content")))
                            .as("bytes on disk of %s: only the acknowledged ones", u).isEqualTo(u.acked);
                }
            }
            try (Stream<Path> files = Files.find(root.resolve("staging"), 3,
                    (path, attributes) -> attributes.isDirectory()
                            && root.resolve("staging").relativize(path).getNameCount() == 3)) {
                assertThat(files.count()).as("staged file directories").isEqualTo(model.files.size());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
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
