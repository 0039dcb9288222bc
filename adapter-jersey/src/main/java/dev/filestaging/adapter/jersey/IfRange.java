package dev.filestaging.adapter.jersey;

import dev.filestaging.ports.StoredFile;
import jakarta.ws.rs.core.EntityTag;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * {@code If-Range} (RFC 9110 §13.1.5): a client resuming a download sends the validator of the version it has; the
 * range is served only if the file is still that version, otherwise the whole current file is sent.
 */
final class IfRange {
    private IfRange() {}

    /** Whether the range may be served: no {@code If-Range}, or one naming this version (ETag or Last-Modified). */
    static boolean holds(String header, StoredFile file) {
        if (header == null || header.isBlank()) {
            return true;
        }
        String value = header.strip();
        if (value.startsWith("\"") || value.startsWith("W/")) {
            try {
                EntityTag tag = EntityTag.valueOf(value);
                return !tag.isWeak() && tag.equals(ContentAnswer.etagOf(file)); // strong comparison only
            } catch (IllegalArgumentException malformed) {
                return false;
            }
        }
        try {
            ZonedDateTime date = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
            return date.toInstant().equals(ContentAnswer.lastModifiedOf(file).toInstant());
        } catch (DateTimeParseException malformed) {
            return false;
        }
    }
}
