package dev.filestaging.app;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** Load and races against local-disk storage. */
class LoadLocalIT extends LoadSuite {
    LoadLocalIT() {
        super("local");
    }

    @TempDir
    static Path work;

    @Override
    Backend backend(String label) {
        return new Backend.LocalDisk(work.resolve(label));
    }
}
