package dev.filestaging.ports.out.catalog;

import dev.filestaging.ports.StoredFile;
import java.time.Instant;
import java.util.Objects;

/**
 * One entry of an area's change log: a file committed or deleted. Entries of an area are numbered 1, 2, 3... with no
 * gap, in the order the changes took effect, and each is recorded in the same atomic step as its change: there is
 * never a change without its entry, nor an entry without its change.
 *
 * @param sequence the entry's number in its area's log
 * @param file     the version committed or deleted
 * @param at       when the catalog recorded it
 */
public record Change(long sequence, Kind kind, StoredFile file, Instant at) {

    public enum Kind { COMMITTED, DELETED }

    public Change {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(at, "at");
        if (sequence < 1) {
            throw new IllegalArgumentException("change-log entries are numbered from 1, got " + sequence);
        }
    }
}
