package dev.filestaging.adapter.localfs;

import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.StoredFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Predicate;

/**
 * The committed files of every area, in memory. This process is the only writer of its data directory (it holds the
 * lock), so the index built at start-up and kept current by each commit and delete is the truth, and listings cost no
 * disk access.
 */
final class AreaIndex {

    /** One area's files by name. Also the lock that serialises commits and deletes in the area. */
    static final class Area {
        /** How many files a listing copies under the lock at a time. */
        static final int BATCH = 256;

        private final TreeMap<String, StoredFile> byName = new TreeMap<>();
        private long usedBytes;

        synchronized Optional<StoredFile> get(String name) {
            return Optional.ofNullable(byName.get(name));
        }

        synchronized void put(StoredFile file) {
            StoredFile previous = byName.put(file.name(), file);
            usedBytes += file.sizeBytes() - (previous == null ? 0 : previous.sizeBytes());
        }

        synchronized Optional<StoredFile> remove(String name) {
            StoredFile removed = byName.remove(name);
            if (removed != null) {
                usedBytes -= removed.sizeBytes();
            }
            return Optional.ofNullable(removed);
        }

        synchronized List<StoredFile> files() {
            return List.copyOf(byName.values());
        }

        /**
         * Up to {@code limit} files after {@code after} whose names {@code names} accepts. The names are tested
         * without holding the area's lock (the lock is taken only to copy the next {@link #BATCH} files), so a
         * costly test of a long listing never stalls the area's commits, deletes and reads.
         */
        List<StoredFile> page(String after, int limit, Predicate<String> names) {
            List<StoredFile> page = new ArrayList<>(Math.min(limit, BATCH));
            String cursor = after;
            while (page.size() < limit) {
                List<StoredFile> batch = batchAfter(cursor);
                for (StoredFile file : batch) {
                    if (page.size() == limit) {
                        break;
                    }
                    if (names.test(file.name())) {
                        page.add(file);
                    }
                }
                if (batch.size() < BATCH) {
                    break;
                }
                cursor = batch.get(batch.size() - 1).name();
            }
            return page;
        }

        private synchronized List<StoredFile> batchAfter(String after) {
            List<StoredFile> batch = new ArrayList<>(Math.min(BATCH, byName.size()));
            for (StoredFile file : (after == null ? byName : byName.tailMap(after, false)).values()) {
                if (batch.size() == BATCH) {
                    break;
                }
                batch.add(file);
            }
            return batch;
        }

        synchronized long usedBytes() {
            return usedBytes;
        }
    }

    private final ConcurrentMap<StagingArea, Area> areas = new ConcurrentHashMap<>();

    Area area(StagingArea area) {
        return areas.computeIfAbsent(area, a -> new Area());
    }

    Map<StagingArea, Area> all() {
        return areas;
    }
}
