package dev.filestaging.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Builds the fsync fault-injection library ({@code faults/fsync_fault.c}) with the machine's C compiler. */
final class FsyncFault {
    private FsyncFault() {}

    static Path library(Path directory) throws Exception {
        Path library = directory.resolve("fsync_fault.so");
        if (!library.toFile().exists()) {
            Path source = Path.of("src/test/resources/faults/fsync_fault.c").toAbsolutePath();
            E2e.Result cc = E2e.run(List.of("cc", "-shared", "-fPIC", "-o", library.toString(), source.toString(),
                    "-ldl"), Map.of());
            assertThat(cc.exitCode()).as("building the fsync fault library needs cc (.ci/run installs gcc): "
                    + cc.output()).isZero();
        }
        return library;
    }
}
