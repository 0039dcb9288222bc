package dev.filestaging.ports.in;

import dev.filestaging.ports.Principal;
import dev.filestaging.ports.StagingArea;
import java.time.Duration;
import java.util.Optional;

/**
 * The change feed of a staging area: its events (files committed, deleted, expired; uploads expired) in the order they
 * took effect, from a cursor, for {@code ReadFiles} or {@code ManageFiles}. No event is left out: a cursor whose next
 * events were trimmed by the retention is refused ({@link EventsOutcome.CursorExpired}), never skipped over.
 */
public interface ReadEvents {

    /** The most events one read answers. */
    int MAX_LIMIT = 1000;

    /** The longest a read waits for an event. */
    Duration MAX_WAIT = Duration.ofSeconds(30);

    /**
     * Up to {@code limit} events after {@code after} (an opaque cursor a previous read gave; empty: from the oldest
     * event kept), waiting up to {@code wait} (at most {@link #MAX_WAIT}) for one when there is none yet.
     *
     * @throws AccessDeniedException the principal may not read the area
     */
    EventsOutcome read(Principal principal, StagingArea area, Optional<String> after, int limit, Duration wait)
            throws InterruptedException;
}
