package dev.filestaging.ports.events;

import dev.filestaging.ports.StagingArea;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * A change-feed cursor (see {@link dev.filestaging.ports.in.ReadEvents}): the number of the last event read, bound to its area, as an opaque URL-safe text. Opaque, so
 * that what it holds may change; bound, so that a cursor of one area used on another is refused, not misread.
 */
public final class FeedCursor {
    private static final String VERSION = "c1";

    private FeedCursor() {
    }

    public static String of(StagingArea area, long sequence) {
        String text = VERSION + '.' + sequence + '.' + areaTag(area);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
    }

    /** The sequence number {@code cursor} holds for {@code area}; empty when it is not one of its cursors. */
    public static Optional<Long> sequence(StagingArea area, String cursor) {
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
        if (parts.length != 3 || !parts[0].equals(VERSION) || !parts[2].equals(areaTag(area))
                || parts[1].isEmpty() || parts[1].length() > 18 || !parts[1].chars().allMatch(Character::isDigit)) {
            return Optional.empty();
        }
        return Optional.of(Long.parseLong(parts[1]));
    }

    /** A short tag of the area: enough to tell areas apart by mistake, not a secret. */
    private static String areaTag(StagingArea area) {
        int hash = (area.organization().value() + '/' + area.project().value()).hashCode();
        return Integer.toHexString(hash);
    }
}
