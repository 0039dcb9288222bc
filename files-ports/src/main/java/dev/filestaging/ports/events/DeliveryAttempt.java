package dev.filestaging.ports.events;

import dev.filestaging.ports.StagingArea;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One attempt to deliver one event to one endpoint, as the endpoint's delivery log keeps it.
 *
 * @param sequence   the event's number in its area's change log
 * @param status     the endpoint's HTTP status; 0 when it gave none (refused, timed out, unreachable)
 * @param error      what went wrong, short; empty when delivered
 * @param nextAttempt for {@link Outcome#FAILED}: when the event is tried again
 */
public record DeliveryAttempt(StagingArea area, long sequence, String eventId, Instant at, Outcome outcome, int status,
                              Optional<String> error, Optional<Instant> nextAttempt) {

    /** What came of it. */
    public enum Outcome {
        /** The endpoint took it (2xx): the next event of the area is next. */
        DELIVERED,
        /** It will be tried again at {@code nextAttempt}; the area's next events wait for it. */
        FAILED,
        /** Tried for as long as events are retried, or the endpoint is gone: the next event is next. */
        GIVEN_UP
    }

    /** The longest error text kept. */
    public static final int MAX_ERROR = 300;

    public DeliveryAttempt {
        Objects.requireNonNull(area, "area");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(nextAttempt, "nextAttempt");
        error = error.map(text -> text.length() > MAX_ERROR ? text.substring(0, MAX_ERROR) : text);
        if ((outcome == Outcome.FAILED) != nextAttempt.isPresent()) {
            throw new IllegalArgumentException("a failed attempt, and only one, has a next attempt");
        }
    }
}
