package dev.filestaging.app.metrics;

import dev.filestaging.domain.storage.StagingStore;
import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.StagingArea;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * {@code files.quota.used.bytes} and {@code files.quota.allocated.bytes} by {@code area} ({@code org/project}) for the
 * {@link #MAX_AREAS} areas used most recently (uploaded to, listed, deleted from), so the {@code area} tag stays
 * bounded however many areas there are. A scrape reuses the last reading a request made, and reads an area's used bytes
 * from storage itself only when a file was committed or deleted there since, or the reading is older than
 * {@link #MAX_AGE} (which bounds how stale a figure can be after a change not seen here, such as a resumable upload's
 * commit).
 */
public final class AreaUsageMeters {
    static final int MAX_AREAS = 50;
    static final Duration MAX_AGE = Duration.ofSeconds(30);

    private final StagingStore store;
    private final ToLongFunction<OrganizationId> allocated;
    private final MultiGauge used;
    private final MultiGauge quota;
    /** The areas used most recently, last used last, with their last reading. */
    private final Map<StagingArea, Reading> recent = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<StagingArea, Reading> eldest) {
            return size() > MAX_AREAS;
        }
    };

    private record Reading(double bytes, long readAtNanos, boolean changed) {}

    /** @param store the store itself (its reads here are not request calls, so they are not timed) */
    public AreaUsageMeters(MeterRegistry registry, StagingStore store, ToLongFunction<OrganizationId> allocated) {
        this.store = store;
        this.allocated = allocated;
        this.used = MultiGauge.builder("files.quota.used.bytes")
                .description("bytes of staged files, by staging area (the areas used most recently)").register(registry);
        this.quota = MultiGauge.builder("files.quota.allocated.bytes")
                .description("the quota, by staging area (the areas used most recently)").register(registry);
    }

    /** {@code area} was written to or deleted from, so its used bytes may have changed. */
    synchronized void used(StagingArea area) {
        Reading before = recent.get(area);
        remember(area, before == null ? new Reading(Double.NaN, 0, true)
                : new Reading(before.bytes(), before.readAtNanos(), true));
    }

    /** {@code area}'s used bytes were just read from storage (by a request): a scrape need not read them again. */
    synchronized void read(StagingArea area, long usedBytes) {
        remember(area, new Reading(usedBytes, System.nanoTime(), false));
    }

    private void remember(StagingArea area, Reading reading) {
        boolean added = recent.put(area, reading) == null;
        if (added) {
            List<MultiGauge.Row<?>> usedRows = new ArrayList<>();
            List<MultiGauge.Row<?>> quotaRows = new ArrayList<>();
            for (StagingArea each : recent.keySet()) {
                Tags tags = Tags.of("area", each.organization() + "/" + each.project());
                usedRows.add(MultiGauge.Row.of(tags, each, this::usedBytes));
                quotaRows.add(MultiGauge.Row.of(tags, each, a -> allocated.applyAsLong(a.organization())));
            }
            used.register(usedRows, true);
            quota.register(quotaRows, true);
        }
    }

    private double usedBytes(StagingArea area) {
        Reading reading;
        synchronized (this) {
            reading = recent.get(area);
        }
        if (reading == null) {
            return Double.NaN;
        }
        long now = System.nanoTime();
        if (!reading.changed() && now - reading.readAtNanos() < MAX_AGE.toNanos()) {
            return reading.bytes();
        }
        double bytes;
        try {
            bytes = store.usedBytes(area);
        } catch (RuntimeException storageFailed) {
            bytes = Double.NaN;
        }
        synchronized (this) {
            if (recent.containsKey(area)) {
                recent.put(area, new Reading(bytes, now, false));
            }
        }
        return bytes;
    }
}
