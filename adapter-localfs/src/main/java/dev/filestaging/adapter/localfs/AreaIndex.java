package dev.filestaging.adapter.localfs;

import dev.filestaging.ports.NameGlob;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.StoredFile;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The committed files of every area, in memory. This process is the only writer of its data directory (it holds the
 * lock), so the index built at start-up and kept current by each commit and delete is the truth, and listings cost no
 * disk access.
 */
final class AreaIndex {

    /** One area's files by name. Also the lock that serialises commits and deletes in the area. */
    static final class Area {
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

        synchronized List<StoredFile> page(String after, int limit, NameGlob names) {
            List<StoredFile> page = new java.util.ArrayList<>(Math.min(limit, byName.size()));
            for (StoredFile file : (after == null ? byName : byName.tailMap(after, false)).values()) {
                if (page.size() == limit) {
                    break;
                }
                if (names.matches(file.name())) {
                    page.add(file);
                }
            }
            return page;
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
