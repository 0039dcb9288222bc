package dev.filestaging.ports.in;

import dev.filestaging.ports.events.Change;
import java.util.List;

/** What a read of the change feed came to. */
public sealed interface EventsOutcome {

    /**
     * The events after the cursor, in order (maybe none), and the cursor to read on from: after the last of them, or
     * the one given when there were none.
     */
    record Page(List<Change> events, String cursor) implements EventsOutcome {
        public Page {
            events = List.copyOf(events);
        }
    }

    /**
     * Events after the cursor were removed by the retention: reading on would skip them. {@code oldest} is the cursor
     * before the oldest event still kept (reading from it skips the removed ones knowingly).
     */
    record CursorExpired(String oldest) implements EventsOutcome {}

    /** The cursor is not one this area's feed gave. */
    record CursorInvalid(String reason) implements EventsOutcome {}
}
