package dev.filestaging.domain;

import dev.filestaging.domain.storage.StagingStore;
import dev.filestaging.ports.in.CheckReadiness;
import dev.filestaging.ports.out.StoreHealth;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Readiness from the store's own health, asked at most once per {@link #CACHED}: probes every second from several
 * load balancers then cost the storage one call every few seconds.
 */
final class ReadinessProbe implements CheckReadiness {
    static final Duration CACHED = Duration.ofSeconds(2);

    private final StagingStore store;
    private final Clock clock;
    private Readiness last;
    private Instant askedAt = Instant.MIN;

    ReadinessProbe(StagingStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public synchronized Readiness readiness() {
        Instant now = clock.instant();
        if (last == null || !now.isBefore(askedAt.plus(CACHED)) || now.isBefore(askedAt)) {
            StoreHealth health = health();
            last = new Readiness(health.serving(), health.detail());
            askedAt = now;
        }
        return last;
    }

    private StoreHealth health() {
        try {
            return store.health();
        } catch (RuntimeException e) { // the contract says it never throws; a store that does is not ready either
            return StoreHealth.failing("the storage check failed: " + e.getMessage());
        }
    }
}
