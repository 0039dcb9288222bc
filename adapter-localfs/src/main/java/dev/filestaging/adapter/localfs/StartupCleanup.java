package dev.filestaging.adapter.localfs;

import dev.filestaging.adapter.localfs.catalog.LocalCatalog;
import dev.filestaging.ports.out.catalog.Catalog;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a stopped process left in the blob directory, removed before the next one serves. The data directory's lock
 * is held, so no request is in progress: bytes of an open upload past its durable offset were never acknowledged,
 * and a blob that neither a file nor an open upload has is one whose commit never happened (a crash, a kill, a
 * commit whose answer was lost). Both go now, rather than at the next write or the sweep's 24 hours later. A catalog
 * shared by several processes cannot do this (another may be writing); there the hourly sweep does it.
 */
final class StartupCleanup {
    private static final System.Logger LOG = System.getLogger(StartupCleanup.class.getName());

    private StartupCleanup() {}

    static void run(LocalCatalog catalog, LocalBlobStore blobs) throws IOException {
        int cut = 0;
        for (Map.Entry<String, Long> upload : catalog.openUploadCheckpoints().entrySet()) {
            if (cutBack(blobs.unfinished(upload.getKey()), upload.getValue())) {
                cut++;
            }
        }
        List<String> batch = new ArrayList<>();
        int[] removed = {0};
        blobs.enumerate(blob -> {
            batch.add(blob.blobId());
            if (batch.size() == Catalog.MAX_LOOKUP) {
                removed[0] += removeUnreferenced(catalog, blobs, batch);
            }
        });
        removed[0] += removeUnreferenced(catalog, blobs, batch);
        if (cut + removed[0] > 0) {
            LOG.log(Level.INFO, "start-up: cut {0} open uploads back to their acknowledged bytes, removed {1} blobs"
                    + " no file or upload has", cut, removed[0]);
        }
    }

    private static boolean cutBack(Path part, long offset) throws IOException {
        if (!Files.exists(part) || Files.size(part) <= offset) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(part, StandardOpenOption.WRITE)) {
            channel.truncate(offset);
            channel.force(false);
        }
        return true;
    }

    private static int removeUnreferenced(LocalCatalog catalog, LocalBlobStore blobs, List<String> batch) {
        if (batch.isEmpty()) {
            return 0;
        }
        Set<String> referenced = catalog.referenced(batch);
        int removed = 0;
        for (String id : batch) {
            if (!referenced.contains(id)) {
                blobs.delete(id);
                removed++;
            }
        }
        batch.clear();
        return removed;
    }
}
