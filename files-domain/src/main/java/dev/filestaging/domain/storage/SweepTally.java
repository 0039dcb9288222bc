package dev.filestaging.domain.storage;

import java.util.Objects;

/**
 * How often a store's own sweep of leftovers ran and how many objects it removed, since the store was opened: what an
 * operator watches to see that crashed uploads and stopped instances are cleaned up.
 *
 * @param sweep   a stable name, such as {@code orphaned-content}
 * @param runs    sweeps that completed
 * @param removed objects (or multipart uploads) they removed
 */
public record SweepTally(String sweep, long runs, long removed) {
    public SweepTally {
        Objects.requireNonNull(sweep, "sweep");
        if (runs < 0 || removed < 0) {
            throw new IllegalArgumentException("counts cannot be negative");
        }
    }
}
