package dev.filestaging.domain.events;

import dev.filestaging.domain.upload.AccessPolicy;
import dev.filestaging.ports.Principal;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.events.Change;
import dev.filestaging.ports.events.FeedCursor;
import dev.filestaging.ports.in.EventsOutcome;
import dev.filestaging.ports.in.ReadEvents;
import dev.filestaging.ports.out.catalog.Catalog;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;

/**
 * The change feed, read from the catalog's change log: what every process sharing the catalog committed, in its
 * order. A read that finds nothing new polls the log until an event comes or its wait is over; a bounded number of
 * reads wait at once, the others answer at once (a client then simply reads again).
 */
public final class EventFeed implements ReadEvents {
    /** How often a waiting read looks at the log again: the feed's latency when it waits. */
    static final Duration POLL = Duration.ofMillis(100);
    /** How many reads may wait at once: each holds a request thread. */
    static final int MAX_WAITING = 32;

    private final Catalog catalog;
    private final Clock clock;
    private final AccessPolicy access = new AccessPolicy();
    private final Semaphore waiting = new Semaphore(MAX_WAITING);

    public EventFeed(Catalog catalog, Clock clock) {
        this.catalog = catalog;
        this.clock = clock;
    }

    @Override
    public EventsOutcome read(Principal principal, StagingArea area, Optional<String> after, int limit, Duration wait)
            throws InterruptedException {
        access.requireReading(principal, area);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("a read takes 1 to " + MAX_LIMIT + " events, not " + limit);
        }
        Optional<FeedCursor.Position> from = after.isEmpty() ? Optional.of(new FeedCursor.Position(0, Optional.empty()))
                : FeedCursor.position(area, after.get());
        if (from.isEmpty()) {
            return new EventsOutcome.CursorInvalid("the cursor is not one this project's events gave");
        }
        long deadline = clock.millis() + Math.max(0, Math.min(wait.toMillis(), MAX_WAIT.toMillis()));
        boolean mayWait = !wait.isNegative() && !wait.isZero() && waiting.tryAcquire();
        try {
            while (true) {
                EventsOutcome outcome = page(area, from.get(), after, limit);
                long left = deadline - clock.millis();
                if (!mayWait || left <= 0 || !(outcome instanceof EventsOutcome.Page page) || !page.events().isEmpty()) {
                    return outcome;
                }
                Thread.sleep(Math.min(left, POLL.toMillis()));
            }
        } finally {
            if (mayWait) {
                waiting.release();
            }
        }
    }

    /**
     * The events after {@code from}, contiguous: a stretch the retention removed ends the page before it (or, right
     * after a cursor, refuses the cursor), so no read ever steps over a missing event unknowingly.
     */
    private EventsOutcome page(StagingArea area, FeedCursor.Position cursor, Optional<String> given, int limit) {
        long from = cursor.sequence();
        boolean fromCursor = given.isPresent();
        // from the cursor's own event on, when it has one, to check that it is still the event the cursor was made from
        boolean checked = fromCursor && from > 0 && cursor.eventTag().isPresent();
        Catalog.ChangeLog log = catalog.changes(area, checked ? from - 1 : from, checked ? limit + 1 : limit);
        if (fromCursor && from > log.latest()) {
            return new EventsOutcome.CursorInvalid("the cursor is ahead of this project's events: not one its feed gave");
        }
        List<Change> entries = log.entries();
        if (checked && !entries.isEmpty() && entries.get(0).sequence() == from) {
            if (!cursor.madeFrom(entries.get(0))) {
                return new EventsOutcome.CursorInvalid("the cursor is from another history of this project's events"
                        + " (a catalog made anew, or restored from a backup): read from the start");
            }
            entries = entries.subList(1, entries.size());
        }
        long expected = from + 1;
        if (fromCursor && (entries.isEmpty() ? log.latest() >= expected : entries.get(0).sequence() != expected)) {
            long oldest = entries.isEmpty() ? log.latest() : entries.get(0).sequence() - 1;
            return new EventsOutcome.CursorExpired(FeedCursor.of(area, oldest));
        }
        List<Change> contiguous = new ArrayList<>();
        for (Change change : entries) {
            if (!contiguous.isEmpty() && change.sequence() != contiguous.get(contiguous.size() - 1).sequence() + 1) {
                break;
            }
            contiguous.add(change);
        }
        if (!contiguous.isEmpty()) {
            return new EventsOutcome.Page(contiguous, FeedCursor.after(contiguous.get(contiguous.size() - 1)));
        }
        // nothing new: the cursor given back, or after the latest when none was given (its event may be trimmed)
        return new EventsOutcome.Page(contiguous, fromCursor ? given.get() : FeedCursor.of(area, log.latest()));
    }
}
