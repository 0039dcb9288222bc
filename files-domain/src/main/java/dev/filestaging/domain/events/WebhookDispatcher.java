package dev.filestaging.domain.events;

import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.events.Change;
import dev.filestaging.ports.events.DeliveryAttempt;
import dev.filestaging.ports.events.DeliveryProgress;
import dev.filestaging.ports.events.Webhook;
import dev.filestaging.ports.out.catalog.Catalog;
import dev.filestaging.ports.out.events.DeliveryLease;
import dev.filestaging.ports.out.events.WebhookStore;
import dev.filestaging.ports.out.events.WebhookTransport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;

/**
 * Delivers each area's events to the endpoints that receive them: at least once, in order per endpoint and area (the
 * next event waits until the previous was delivered or given up), retried with exponential backoff and jitter (or
 * when the endpoint's {@code Retry-After} says) for {@link #RETRY_FOR}, and stopped for an endpoint that answers 410.
 *
 * <p>Each (endpoint, area) is delivered under a lease of the {@link WebhookStore}: one process at a time, whichever
 * process shares the catalog, and a process that dies leaves it to another once its lease lapses. Progress is
 * recorded every {@link #RECORD_EVERY} events or {@link #RECORD_AFTER}, so a crash or a take-over sends again at most
 * the events since, in the same order, and never skips one.
 */
public final class WebhookDispatcher {
    /** How long a process holds an (endpoint, area) without renewing: longer than one delivery can take. */
    static final Duration LEASE = Duration.ofSeconds(30);
    /** How long an event is retried before it is given up. */
    public static final Duration RETRY_FOR = Duration.ofDays(3);
    /** The longest wait between two attempts of one event. */
    static final Duration MAX_BACKOFF = Duration.ofHours(1);
    /** How many events one read of the log takes. */
    static final int BATCH = 100;

    private final WebhookStore store;
    private final WebhookTransport transport;
    private final Catalog catalog;
    private final Clock clock;
    private final Executor workers;
    private final BiConsumer<String, DeliveryAttempt> attempts;
    /** The (endpoint, area) pairs this process is delivering now: one worker each. */
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private volatile Map<String, Pending> pending = Map.of();

    /**
     * What an endpoint has not received yet, as of the last {@link #tick}.
     *
     * @param events how many events of its areas
     * @param oldest when the oldest of them was recorded; empty when there is none
     */
    public record Pending(long events, Optional<Instant> oldest) {}

    /**
     * @param workers  runs one (endpoint, area) delivery at a time each; bounded (each may wait on an endpoint up to
     *                 the transport's timeouts)
     * @param attempts told of every attempt and the endpoint's id (for metrics); must not throw
     */
    public WebhookDispatcher(WebhookStore store, WebhookTransport transport, Catalog catalog, Clock clock,
                             Executor workers, BiConsumer<String, DeliveryAttempt> attempts) {
        this.store = store;
        this.transport = transport;
        this.catalog = catalog;
        this.clock = clock;
        this.workers = workers;
        this.attempts = attempts;
    }

    /**
     * Looks for events to deliver and hands each (endpoint, area) that has some, and may be tried now, to a worker; for
     * the host to run every few hundred milliseconds.
     */
    public void tick() {
        Map<OrganizationId, List<Catalog.AreaLog>> logs = new HashMap<>();
        Map<String, Pending> waiting = new HashMap<>();
        Instant now = clock.instant();
        for (Webhook webhook : store.enabled()) {
            Map<StagingArea, DeliveryProgress> progress = new HashMap<>();
            store.progress(webhook.id()).forEach(p -> progress.put(p.area(), p));
            long behind = 0;
            Optional<Instant> oldest = Optional.empty();
            for (Catalog.AreaLog log : logs.computeIfAbsent(webhook.organization(), catalog::logs)) {
                if (!webhook.covers(log.area())) {
                    continue;
                }
                DeliveryProgress at = progress.getOrDefault(log.area(), DeliveryProgress.start(log.area()));
                if (log.latest() <= at.delivered()) {
                    continue;
                }
                behind += log.latest() - at.delivered();
                Optional<Instant> first = catalog.changes(log.area(), at.delivered(), 1).entries().stream()
                        .map(Change::at).findFirst();
                if (first.isPresent() && (oldest.isEmpty() || first.get().isBefore(oldest.get()))) {
                    oldest = first;
                }
                if (at.notBefore().map(next -> !next.isAfter(now)).orElse(true)) {
                    submit(webhook, log.area());
                }
            }
            waiting.put(webhook.id(), new Pending(behind, oldest));
        }
        pending = Map.copyOf(waiting);
    }

    /** Per endpoint: what it has not received yet, as of the last {@link #tick}. */
    public Map<String, Pending> pending() {
        return pending;
    }

    private void submit(Webhook webhook, StagingArea area) {
        String key = webhook.id() + '\u0000' + area;
        if (!inFlight.add(key)) {
            return;
        }
        try {
            workers.execute(() -> {
                try {
                    drain(webhook, area);
                } catch (RuntimeException failed) {
                    // the store or the catalog failed: the lease lapses, and the next tick tries again
                } finally {
                    inFlight.remove(key);
                }
            });
        } catch (RuntimeException rejected) {
            inFlight.remove(key);
        }
    }

    /**
     * Delivers the area's events to the endpoint while it takes them, under a lease. Deliveries and events passed are
     * recorded together, every {@link #RECORD_EVERY} events or {@link #RECORD_AFTER} (one write instead of one per
     * event: a busy endpoint does not take the catalog's writes from uploads); a crash before a record delivers those
     * events again, which at least once allows, in the same order.
     */
    void drain(Webhook webhook, StagingArea area) {
        Optional<DeliveryLease> claimed = store.claim(webhook.id(), area, LEASE);
        if (claimed.isEmpty()) {
            return;
        }
        Drain drain = new Drain(webhook, claimed.get());
        try {
            drain.run();
        } finally {
            drain.flush();
            store.release(drain.lease);
        }
    }

    /** How many delivered or passed events are recorded together at most. */
    static final int RECORD_EVERY = 100;
    /** How long a delivered or passed event may stay unrecorded at most. */
    static final Duration RECORD_AFTER = Duration.ofSeconds(1);

    /** One drain of one (endpoint, area): its lease, its progress, and what it has not recorded yet. */
    private final class Drain {
        final Webhook webhook;
        final DeliveryLease lease;
        DeliveryProgress progress;
        Instant renewed = clock.instant();
        /** The latest delivery not recorded yet, if any. */
        DeliveryAttempt lastDelivered;
        /** How many events were delivered or passed since the last record, and since when. */
        int unrecorded;
        Instant firstUnrecorded;

        Drain(Webhook webhook, DeliveryLease lease) {
            this.webhook = webhook;
            this.lease = lease;
            this.progress = lease.progress();
        }

        void run() {
            while (progress.notBefore().map(next -> !next.isAfter(clock.instant())).orElse(true)) {
                Catalog.ChangeLog log = catalog.changes(lease.progress().area(), progress.delivered(), BATCH);
                if (log.entries().isEmpty()) {
                    return;
                }
                for (Change change : log.entries()) {
                    if (!renewedWhenDue() || !next(change)) {
                        return;
                    }
                    if (progress.delivered() < change.sequence()) {
                        break; // it failed: it waits for its next attempt
                    }
                }
            }
        }

        private boolean renewedWhenDue() {
            if (Duration.between(renewed, clock.instant()).compareTo(LEASE.dividedBy(3)) <= 0) {
                return true;
            }
            renewed = clock.instant();
            return store.renew(lease, LEASE);
        }

        /** One event to the endpoint, or past it; false when the drain is over (the lease lost, the endpoint gone). */
        private boolean next(Change change) {
            if (change.sequence() != progress.delivered() + 1) {
                // the retention removed events the endpoint never got: say so in its log, and go on
                return record(new DeliveryAttempt(change.area(), change.sequence() - 1, "trimmed", clock.instant(),
                        DeliveryAttempt.Outcome.GIVEN_UP, 0, Optional.of("events " + (progress.delivered() + 1) + " to "
                                + (change.sequence() - 1) + " were removed by the retention before they could be"
                                + " delivered"), Optional.empty())) && next(change);
            }
            if (!webhook.wants(change)) {
                return passed(change.sequence());
            }
            Instant now = clock.instant();
            WebhookTransport.Result result = transport.deliver(webhook.url(), webhook.secrets(),
                    new WebhookTransport.Message(change, now));
            if (result instanceof WebhookTransport.Result.Delivered delivered) {
                lastDelivered = attempt(change, now, DeliveryAttempt.Outcome.DELIVERED, delivered.status(), null, null);
                attempts.accept(lease.webhookId(), lastDelivered);
                return passed(change.sequence());
            }
            if (result instanceof WebhookTransport.Result.Gone) {
                record(attempt(change, now, DeliveryAttempt.Outcome.GIVEN_UP, 410,
                        "the endpoint answered 410 Gone: it receives nothing more", null));
                store.disable(webhook.id(), "the endpoint answered 410 Gone at " + now);
                return false;
            }
            WebhookTransport.Result.Failed failed = (WebhookTransport.Result.Failed) result;
            Instant since = progress.failingSince().orElse(now);
            Instant ended = clock.instant(); // the wait before the next attempt counts from the end of this one
            if (Duration.between(since, now).compareTo(RETRY_FOR) >= 0) {
                return record(attempt(change, now, DeliveryAttempt.Outcome.GIVEN_UP, failed.status(),
                        "given up after " + (progress.attempts() + 1) + " attempts over " + RETRY_FOR.toDays()
                                + " days: " + failed.error(), null));
            }
            Instant retry = ended.plus(failed.retryAfter().orElseGet(() -> backoff(progress.attempts() + 1)));
            return record(attempt(change, now, DeliveryAttempt.Outcome.FAILED, failed.status(), failed.error(), retry));
        }

        /** The event at {@code sequence} is delivered or not for this endpoint: recorded with others, soon. */
        private boolean passed(long sequence) {
            progress = progress.skippedTo(sequence);
            if (unrecorded++ == 0) {
                firstUnrecorded = clock.instant();
            }
            boolean due = unrecorded >= RECORD_EVERY
                    || Duration.between(firstUnrecorded, clock.instant()).compareTo(RECORD_AFTER) >= 0;
            return !due || flush();
        }

        /** Records what was delivered or passed since the last record; false when the lease is lost. */
        boolean flush() {
            if (unrecorded == 0) {
                return true;
            }
            unrecorded = 0;
            DeliveryAttempt delivered = lastDelivered;
            lastDelivered = null;
            if (delivered != null && store.record(lease, delivered).isEmpty()) {
                return false;
            }
            return delivered != null && delivered.sequence() == progress.delivered()
                    || store.skip(lease, progress.delivered());
        }

        /** Records {@code attempt} (after what is unrecorded), and takes the progress it leads to. */
        private boolean record(DeliveryAttempt attempt) {
            if (!flush()) {
                return false;
            }
            Optional<DeliveryProgress> after = store.record(lease, attempt);
            after.ifPresent(next -> {
                progress = next;
                attempts.accept(lease.webhookId(), attempt);
            });
            return after.isPresent();
        }
    }

    private static DeliveryAttempt attempt(Change change, Instant at, DeliveryAttempt.Outcome outcome, int status,
                                           String error, Instant next) {
        return new DeliveryAttempt(change.area(), change.sequence(), change.eventId(), at, outcome, status,
                Optional.ofNullable(error), Optional.ofNullable(next));
    }


    /** The wait before attempt {@code n + 1}: 1 s doubled with each failure, at most an hour, give or take a fifth. */
    static Duration backoff(int failures) {
        long seconds = 1L << Math.min(Math.max(failures - 1, 0), 12);
        long millis = Math.min(seconds * 1000, MAX_BACKOFF.toMillis());
        double jitter = 0.8 + 0.4 * ThreadLocalRandom.current().nextDouble();
        return Duration.ofMillis((long) (millis * jitter));
    }
}
