package dev.filestaging.app.metrics;

import dev.filestaging.domain.storage.StagingStore;
import dev.filestaging.domain.storage.SweepTally;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Meters of what the storage holds and does on its own: resumable uploads open (counted in the storage, so in an
 * S3 bucket shared by several instances every instance reports them all), and the sweeps of leftovers, the store's
 * and the app's expiry of idle uploads, with the objects they removed.
 */
public final class StoreMeters {
    /** The open uploads are counted at most this often: on S3 a count is a listing of the bucket's uploads. */
    static final Duration OPEN_UPLOADS_REFRESH = Duration.ofSeconds(10);

    private final AtomicLong expirySweeps = new AtomicLong();
    private final AtomicLong uploadsExpired = new AtomicLong();

    public StoreMeters(StagingStore store, MeterRegistry registry) {
        for (SweepTally tally : store.sweeps()) {
            String sweep = tally.sweep();
            FunctionCounter.builder("files.sweeps", store, s -> tally(s, sweep).runs())
                    .description("sweeps of leftovers that completed").tag("sweep", sweep).register(registry);
            FunctionCounter.builder("files.sweeps.removed", store, s -> tally(s, sweep).removed())
                    .description("objects the sweeps removed").tag("sweep", sweep).register(registry);
        }
        FunctionCounter.builder("files.sweeps", expirySweeps, AtomicLong::get)
                .description("sweeps of leftovers that completed").tag("sweep", "expired-uploads").register(registry);
        FunctionCounter.builder("files.sweeps.removed", uploadsExpired, AtomicLong::get)
                .description("objects the sweeps removed").tag("sweep", "expired-uploads").register(registry);
        Supplier<Double> open = cached(() -> (double) store.uploads().openCount());
        Gauge.builder("files.resumable.uploads.open", open, Supplier::get)
                .description("resumable uploads begun and neither finished, terminated nor expired")
                .strongReference(true) // nothing else holds the supplier: weakly held, it would be collected
                .register(registry);
    }

    /** Counts one run of the app's expiry of idle resumable uploads. */
    public void expirySwept(int expired) {
        expirySweeps.incrementAndGet();
        uploadsExpired.addAndGet(expired);
    }

    private static SweepTally tally(StagingStore store, String sweep) {
        return store.sweeps().stream().filter(t -> t.sweep().equals(sweep)).findFirst()
                .orElse(new SweepTally(sweep, 0, 0));
    }

    /** The value, read again only once it is older than {@link #OPEN_UPLOADS_REFRESH}; NaN while storage fails. */
    private static Supplier<Double> cached(Supplier<Double> read) {
        return new Supplier<>() {
            private double value = Double.NaN;
            private long readAt = Long.MIN_VALUE;

            @Override
            public synchronized Double get() {
                long now = System.nanoTime();
                if (readAt == Long.MIN_VALUE || now - readAt >= OPEN_UPLOADS_REFRESH.toNanos()) {
                    try {
                        value = read.get();
                    } catch (RuntimeException storageFailed) {
                        value = Double.NaN;
                    }
                    readAt = now;
                }
                return value;
            }
        };
    }
}
