package dev.filestaging.adapter.localfs.directory;

import dev.filestaging.adapter.localfs.io.DurableFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Keeps a version from before the catalog off a data directory in today's layout. Such a version keeps its files in
 * the directory {@code staging/} and creates it at start; finding a file of that name instead, it fails to start
 * (rather than serve an empty area and take uploads the next start of this version would have to quarantine). The
 * file says why, for the operator who looks.
 */
final class EarlierVersionGuard {
    static final String TEXT = "This data directory is in the catalog layout (catalog.db, blobs/). Versions before"
            + " it kept files in a directory named 'staging' and cannot read this one: this file stops them from"
            + " starting on it. Do not delete it.\n";

    private EarlierVersionGuard() {}

    static void place(DataDirectory directory) throws IOException {
        Path guard = directory.staging();
        if (Files.isRegularFile(guard)) {
            return;
        }
        DurableFiles.writeAndSync(guard, TEXT.getBytes(StandardCharsets.UTF_8));
        DurableFiles.syncDirectory(directory.root());
    }
}
