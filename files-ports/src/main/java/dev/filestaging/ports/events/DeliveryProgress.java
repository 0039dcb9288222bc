package dev.filestaging.ports.events;

import dev.filestaging.ports.StagingArea;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * How far an endpoint got in one area's events.
 *
 * @param delivered   the number of the last change-log entry delivered or given up (0: none yet); the next is after it
 * @param attempts    failed attempts at the next event so far (0 when it was not tried yet)
 * @param failingSince when the first of those attempts failed; empty when none did
 * @param notBefore   when the next attempt may be made; empty: at once
 */
public record DeliveryProgress(StagingArea area, long delivered, int attempts, Optional<Instant> failingSince,
                               Optional<Instant> notBefore) {
    public DeliveryProgress {
        Objects.requireNonNull(area, "area");
        Objects.requireNonNull(failingSince, "failingSince");
        Objects.requireNonNull(notBefore, "notBefore");
        if (delivered < 0 || attempts < 0) {
            throw new IllegalArgumentException("delivered and attempts are not negative");
        }
    }

    /** Nothing delivered, nothing tried. */
    public static DeliveryProgress start(StagingArea area) {
        return new DeliveryProgress(area, 0, 0, Optional.empty(), Optional.empty());
    }

    /**
     * The progress once {@code attempt} is recorded: the one rule every {@link WebhookStore} applies, kept here so
     * that they cannot disagree. Delivered or given up moves it to the attempt's event and clears the failures;
     * failed counts the attempt, keeps when the failures began (or starts them at the attempt) and waits for its
     * next attempt. An attempt at an event at or before {@link #delivered} moves nothing: progress moves forward
     * only, and a late record of an event already passed must not undo what came after it.
     *
     * @throws IllegalArgumentException the attempt is of another area
     */
    public DeliveryProgress after(DeliveryAttempt attempt) {
        if (!attempt.area().equals(area)) {
            throw new IllegalArgumentException("an attempt in " + attempt.area() + " is not progress in " + area);
        }
        if (attempt.sequence() <= delivered) {
            return this;
        }
        if (attempt.outcome() == DeliveryAttempt.Outcome.FAILED) {
            return new DeliveryProgress(area, delivered, attempts + 1,
                    failingSince.isPresent() ? failingSince : Optional.of(attempt.at()), attempt.nextAttempt());
        }
        return new DeliveryProgress(area, attempt.sequence(), 0, Optional.empty(), Optional.empty());
    }

    /** The progress once the events up to {@code through} are passed without an attempt (nothing when behind it). */
    public DeliveryProgress skippedTo(long through) {
        return through <= delivered ? this : new DeliveryProgress(area, through, 0, Optional.empty(), Optional.empty());
    }
}
