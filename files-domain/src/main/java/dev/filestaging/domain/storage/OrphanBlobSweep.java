package dev.filestaging.domain.storage;

import dev.filestaging.ports.out.blob.BlobStore;
import dev.filestaging.ports.out.catalog.Catalog;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Deletes blobs that no file or open upload has: those of commits cut by a crash between the blob and the catalog,
 * of deletes whose blob delete failed, of commits whose outcome could not be told. Only blobs untouched for
 * {@code minimumAge} are candidates, so a blob being written or committed right now is never one; the catalog is
 * asked about them in batches.
 */
final class OrphanBlobSweep {
    static final String NAME = "orphaned-blobs";

    private final Catalog catalog;
    private final BlobStore blobs;
    private final Duration minimumAge;
    private final AtomicLong runs = new AtomicLong();
    private final AtomicLong removed = new AtomicLong();

    OrphanBlobSweep(Catalog catalog, BlobStore blobs, Duration minimumAge) {
        this.catalog = catalog;
        this.blobs = blobs;
        this.minimumAge = minimumAge;
    }

    /** One sweep; returns how many blobs it deleted. */
    long run(Instant now) {
        Instant before = now.minus(minimumAge);
        List<String> batch = new ArrayList<>();
        long[] deleted = {0};
        blobs.enumerate(blob -> {
            if (blob.lastModified().isBefore(before)) {
                batch.add(blob.blobId());
                if (batch.size() == Catalog.MAX_LOOKUP) {
                    deleted[0] += deleteUnreferenced(batch);
                    batch.clear();
                }
            }
        });
        deleted[0] += deleteUnreferenced(batch);
        runs.incrementAndGet();
        removed.addAndGet(deleted[0]);
        return deleted[0];
    }

    private long deleteUnreferenced(List<String> candidates) {
        if (candidates.isEmpty()) {
            return 0;
        }
        Set<String> referenced = catalog.referenced(candidates);
        long deleted = 0;
        for (String blobId : candidates) {
            if (!referenced.contains(blobId)) {
                blobs.delete(blobId);
                deleted++;
            }
        }
        return deleted;
    }

    SweepTally tally() {
        return new SweepTally(NAME, runs.get(), removed.get());
    }
}
