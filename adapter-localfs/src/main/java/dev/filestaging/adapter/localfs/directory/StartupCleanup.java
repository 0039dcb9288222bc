package dev.filestaging.adapter.localfs.directory;

import dev.filestaging.adapter.localfs.blob.LocalBlobStore;
import dev.filestaging.adapter.localfs.catalog.LocalCatalog;
import dev.filestaging.adapter.localfs.io.DurableFiles;
import dev.filestaging.adapter.localfs.io.IoErrors;
import dev.filestaging.ports.out.catalog.Catalog;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import dev.filestaging.ports.out.StorageException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a stopped process left in the blob directory, settled before the next one serves. The data directory's lock
 * is held, so no request is in progress: bytes of an open upload past its durable offset were never acknowledged, and
 * go; an unfinished blob no upload has was never a file, and goes. A finished blob that no file has is one whose
 * commit never happened (a crash, a kill, a commit whose answer was lost) — or one whose catalog entry an operator
 * lost (a catalog restored from an older backup): it is moved to {@code quarantine/blobs/}, never deleted, and said
 * at WARNING. A new, empty catalog beside blobs is refused outright: the catalog was lost or moved. A catalog shared by
 * several processes cannot do any of this (another may be writing); there the hourly 24-hour sweep does.
 */
final class StartupCleanup {
    private static final System.Logger LOG = System.getLogger(StartupCleanup.class.getName());

    private StartupCleanup() {}

    /**
     * Refuses a catalog created by this start beside a blob directory that holds blobs: the catalog was lost or moved,
     * and settling the blobs against an empty catalog would take every file away.
     *
     * @throws StorageException it is so
     */
    static void refuseLostCatalog(LocalCatalog catalog, LocalBlobStore blobs) {
        if (!catalog.created()) {
            return;
        }
        long[] found = {0};
        blobs.enumerate(blob -> found[0]++);
        if (found[0] > 0) {
            throw new StorageException("the catalog catalog.db is new, yet " + blobs.directory() + " holds "
                    + found[0] + " blobs: the catalog was lost or moved. Restore it (catalog.db with its -wal file),"
                    + " or move the blob directory away to start empty; nothing was changed");
        }
    }

    static void run(LocalCatalog catalog, LocalBlobStore blobs, Path quarantine) throws IOException {
        int cut = 0;
        for (Map.Entry<String, Long> upload : catalog.openUploadCheckpoints().entrySet()) {
            Path part = blobs.unfinished(upload.getKey());
            if (Files.exists(part) && DurableFiles.truncateTo(part, upload.getValue())) {
                cut++;
            }
        }
        List<String> batch = new ArrayList<>();
        int[] settled = {0, 0};
        blobs.enumerate(blob -> {
            batch.add(blob.blobId());
            if (batch.size() == Catalog.MAX_LOOKUP) {
                settleUnreferenced(catalog, blobs, batch, quarantine, settled);
            }
        });
        settleUnreferenced(catalog, blobs, batch, quarantine, settled);
        if (cut + settled[0] > 0) {
            LOG.log(Level.INFO, "start-up: cut {0} open uploads back to their acknowledged bytes, removed {1}"
                    + " unfinished blobs no upload has", cut, settled[0]);
        }
        if (settled[1] > 0) {
            LOG.log(Level.WARNING, "start-up: moved {0} finished blobs no file has to {1}: bytes of commits a crash"
                    + " cut short, or of files a lost or restored catalog no longer lists; delete them once checked",
                    settled[1], quarantine);
        }
    }

    /** Removes the unfinished, quarantines the finished blobs of {@code batch} that the catalog does not refer to. */
    private static void settleUnreferenced(LocalCatalog catalog, LocalBlobStore blobs, List<String> batch,
                                           Path quarantine, int[] settled) {
        if (batch.isEmpty()) {
            return;
        }
        Set<String> referenced = catalog.referenced(batch);
        for (String id : batch) {
            if (referenced.contains(id)) {
                continue;
            }
            Path finished = blobs.finished(id);
            try {
                if (Files.exists(finished)) {
                    Files.createDirectories(quarantine);
                    Files.move(finished, quarantine.resolve(id), StandardCopyOption.ATOMIC_MOVE);
                    settled[1]++;
                }
                if (Files.deleteIfExists(blobs.unfinished(id))) {
                    settled[0]++;
                }
            } catch (IOException e) {
                throw IoErrors.translate("settle the blob " + id + " no file or upload has", e);
            }
        }
        batch.clear();
    }
}
