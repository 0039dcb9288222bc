package dev.filestaging.adapter.localfs.blob;

import dev.filestaging.ports.out.StoreHealth;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether a directory can take a file now: room on its disk (at least {@link #MIN_FREE_BYTES}) and a file actually
 * created and removed there, so that a full, read-only or vanished disk shows before uploads fail on it.
 */
final class DiskHealth {
    static final long MIN_FREE_BYTES = 16L * 1024 * 1024;

    private DiskHealth() {}

    /** @param shownAs the directory as an operator knows it, for the answer's words */
    static StoreHealth of(Path directory, Path shownAs) {
        try {
            FileStore disk = Files.getFileStore(directory);
            long free = disk.getUsableSpace();
            if (free < MIN_FREE_BYTES) {
                return StoreHealth.failing("the disk of " + shownAs + " has " + free + " bytes left");
            }
            Path probe = Files.createTempFile(directory, "health", ".probe");
            Files.delete(probe);
            return new StoreHealth(true, free + " bytes free in " + shownAs);
        } catch (IOException | RuntimeException e) {
            return StoreHealth.failing("the data directory " + shownAs + " cannot take a file: " + e.getMessage());
        }
    }
}
