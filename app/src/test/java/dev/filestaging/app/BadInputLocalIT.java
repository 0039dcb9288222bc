package dev.filestaging.app;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The bad-input and client-fault cases against local-disk storage. */
class BadInputLocalIT extends BadInputSuite {
    @TempDir
    static Path work;

    @Override
    Backend backend() {
        return new Backend.LocalDisk(work);
    }
}
