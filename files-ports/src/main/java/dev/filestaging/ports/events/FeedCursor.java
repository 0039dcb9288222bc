package dev.filestaging.ports.events;

import dev.filestaging.ports.StagingArea;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * A change-feed cursor (see {@link dev.filestaging.ports.in.ReadEvents}): the number of the last event read, bound to
 * its area and, when it was made from an event, to that event's id, as an opaque URL-safe text. Opaque, so that what
 * it holds may change; bound to the area, so that a cursor of one area used on another is refused, not misread; bound
 * to the event, so that a cursor from another history of the area (a catalog made anew, or restored from a backup,
 * whose numbers go on differently) is refused while that event is kept, instead of skipping the new events silently.
 */
public final class FeedCursor {
    private static final String VERSION = "c2";
    /** The cursors of the first version: no event, the same to read. */
    private static final String FIRST_VERSION = "c1";
    private static final String NO_EVENT = "-";

    /**
     * A cursor read back.
     *
     * @param sequence the number of the last event read
     * @param eventTag a short tag of that event's id; empty when the cursor was not made from an event
     */
    public record Position(long sequence, Optional<String> eventTag) {
        /** Whether {@code change} (of this cursor's number) may be the event it was made from. */
        public boolean madeFrom(Change change) {
            return eventTag.map(tag -> tag.equals(tagOf(change.eventId()))).orElse(true);
        }
    }

    private FeedCursor() {
    }

    /** A cursor after {@code sequence}, made without its event (none yet, or not at hand). */
    public static String of(StagingArea area, long sequence) {
        return encode(area, sequence, NO_EVENT);
    }

    /** A cursor after {@code last}, the last event read. */
    public static String after(Change last) {
        return encode(last.area(), last.sequence(), tagOf(last.eventId()));
    }

    private static String encode(StagingArea area, long sequence, String eventTag) {
        String text = VERSION + '.' + sequence + '.' + areaTag(area) + '.' + eventTag;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
    }

    /** The sequence number {@code cursor} holds for {@code area}; empty when it is not one of its cursors. */
    public static Optional<Long> sequence(StagingArea area, String cursor) {
        return position(area, cursor).map(Position::sequence);
    }

    /** What {@code cursor} holds for {@code area}; empty when it is not one of its cursors. */
    public static Optional<Position> position(StagingArea area, String cursor) {
        if (cursor.length() > 200) {
            return Optional.empty();
        }
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
        } catch (IllegalArgumentException notBase64) {
            return Optional.empty();
        }
        String[] parts = text.split("\\.", -1);
        boolean current = parts.length == 4 && parts[0].equals(VERSION)
                && (parts[3].equals(NO_EVENT) || parts[3].matches("[0-9a-f]{8}"));
        boolean first = parts.length == 3 && parts[0].equals(FIRST_VERSION);
        if (!(current || first) || !parts[2].equals(areaTag(area)) || parts[1].isEmpty() || parts[1].length() > 18
                || !parts[1].chars().allMatch(Character::isDigit)) {
            return Optional.empty();
        }
        Optional<String> tag = current && !parts[3].equals(NO_EVENT) ? Optional.of(parts[3]) : Optional.empty();
        return Optional.of(new Position(Long.parseLong(parts[1]), tag));
    }

    /** A short tag of the area: enough to tell areas apart by mistake, not a secret. */
    private static String areaTag(StagingArea area) {
        int hash = (area.organization().value() + '/' + area.project().value()).hashCode();
        return Integer.toHexString(hash);
    }

    /** A short tag of an event id: enough to tell two histories apart. */
    private static String tagOf(String eventId) {
        return String.format("%08x", eventId.hashCode());
    }
}
