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
}
