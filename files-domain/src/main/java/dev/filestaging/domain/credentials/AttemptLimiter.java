package dev.filestaging.domain.credentials;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Counts failed attempts per key (a source address) in a sliding window: past the limit, further attempts are refused
 * until the oldest failure leaves the window, so a secret cannot be guessed at network speed. Memory is bounded
 * whatever the callers do: at most {@value #TRACKED_KEYS} keys (the least recently seen is forgotten first) with at
 * most {@code maxFailures} instants each.
 */
final class AttemptLimiter {

    static final int TRACKED_KEYS = 10_000;

    private final int maxFailures;
    private final Duration window;
    private final Clock clock;
    private final Map<String, Deque<Instant>> failures = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Deque<Instant>> eldest) {
            return size() > TRACKED_KEYS;
        }
    };

    AttemptLimiter(int maxFailures, Duration window, Clock clock) {
        this.maxFailures = maxFailures;
        this.window = window;
        this.clock = clock;
    }

    /** How long {@code key} must wait before its next attempt, or empty if it may try now. Records nothing. */
    synchronized Optional<Duration> waitFor(String key) {
        Deque<Instant> recent = failures.get(key);
        if (recent == null) {
            return Optional.empty();
        }
        forgetOld(recent);
        if (recent.isEmpty()) {
            failures.remove(key); // keys without recent failures take no room
            return Optional.empty();
        }
        if (recent.size() < maxFailures) {
            return Optional.empty();
        }
        Duration wait = Duration.between(clock.instant(), recent.peekFirst().plus(window));
        return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
    }

    synchronized void failed(String key) {
        Deque<Instant> recent = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
        forgetOld(recent);
        recent.addLast(clock.instant());
        while (recent.size() > maxFailures) {
            recent.removeFirst(); // concurrent attempts all admitted before the first failure was counted
        }
    }

    synchronized int tracked() {
        return failures.size();
    }

    private void forgetOld(Deque<Instant> recent) {
        Instant horizon = clock.instant().minus(window);
        while (!recent.isEmpty() && !recent.peekFirst().isAfter(horizon)) {
            recent.removeFirst();
        }
    }
}
