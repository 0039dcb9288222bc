package dev.filestaging.adapter.s3.legacy;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Whether instances of the bucket-only catalog still serve a bucket, judged as they judged each other: a running
 * instance rewrites its heartbeat (a new ETag) every quarter of its timeout and removes it when it stops, so a
 * heartbeat that changes is alive and one unchanged for the whole timeout is dead. Measured by this process's own
 * clock, so clocks need not agree; no heartbeat at all answers at once.
 */
public final class ServingInstances {

    /** How long to wait between looks; in tests, shorter. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private ServingInstances() {
    }

    /**
     * The instances whose heartbeat changed (or appeared) while watched, for up to {@code timeout} and a quarter;
     * empty when none did (or there was none).
     */
    public static List<String> watch(LegacyBucket bucket, Duration timeout, Sleeper sleeper)
            throws InterruptedException {
        Map<String, String> first = etags(bucket);
        if (first.isEmpty()) {
            return List.of();
        }
        Duration step = timeout.dividedBy(10).compareTo(Duration.ofSeconds(1)) > 0
                ? Duration.ofSeconds(1) : timeout.dividedBy(10);
        long deadline = System.nanoTime() + timeout.plus(timeout.dividedBy(4)).toNanos();
        while (System.nanoTime() < deadline) {
            sleeper.sleep(step);
            TreeSet<String> alive = new TreeSet<>();
            etags(bucket).forEach((instance, etag) -> {
                if (!etag.equals(first.get(instance))) {
                    alive.add(instance);
                }
            });
            if (!alive.isEmpty()) {
                return List.copyOf(alive);
            }
        }
        return List.of();
    }

    private static Map<String, String> etags(LegacyBucket bucket) {
        Map<String, String> etags = new HashMap<>();
        for (LegacyBucket.Heartbeat beat : bucket.heartbeats()) {
            etags.put(beat.instance(), beat.etag());
        }
        return etags;
    }
}
