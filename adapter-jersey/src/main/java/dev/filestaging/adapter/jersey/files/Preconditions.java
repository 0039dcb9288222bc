package dev.filestaging.adapter.jersey.files;

import dev.filestaging.ports.StoredFile;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The conditional request headers of RFC 9110 §13.1, evaluated in the order of §13.2.2 against one version of a file:
 * the version a GET reads or a DELETE removes, never "whatever is there now", so a condition is always about the
 * bytes it lets through.
 *
 * <p>Dates are weak validators: {@code Last-Modified} has whole seconds, and a name can get a new version in the same
 * second as the last one (upload, delete, upload again). A date therefore says a version is unchanged only when that
 * version was stored <em>before the second the date names began</em> (its full-precision upload time is earlier than
 * the date): then no version stored later can be mistaken for it, since upload times increase. A date in the same
 * second as the upload counts as "may have changed": {@code If-Modified-Since} answers 200, not 304, and
 * {@code If-Unmodified-Since} fails with 412. Either errs towards sending bytes or refusing a change, never towards
 * validating another version; a client that wants exactness sends the ETag.
 */
final class Preconditions {
    /** An HTTP-date is 29 characters (asctime 24, RFC 850 up to 33); anything much longer is not one. */
    private static final int MAX_DATE_LENGTH = 64;
    private static final List<DateTimeFormatter> HTTP_DATES = List.of(
            DateTimeFormatter.RFC_1123_DATE_TIME,
            rfc850(),
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US).withZone(ZoneOffset.UTC));

    private Preconditions() {}

    /**
     * {@code Sunday, 06-Nov-94 08:49:37 GMT}: a two-digit year more than 50 years ahead is in the past (RFC 9110
     * §5.6.7), so that a date from the last century never reads as one far in the future.
     */
    private static DateTimeFormatter rfc850() {
        return new DateTimeFormatterBuilder().appendPattern("EEEE, dd-MMM-")
                .appendValueReduced(ChronoField.YEAR, 2, 2, java.time.LocalDate.now(ZoneOffset.UTC).minusYears(50))
                .appendPattern(" HH:mm:ss 'GMT'").toFormatter(Locale.US).withZone(ZoneOffset.UTC);
    }

    /** What the conditions say about the request. */
    enum Verdict {
        /** No condition, or all hold: answer as usual. */
        PROCEED,
        /** GET or HEAD of the version the client has: 304. */
        NOT_MODIFIED,
        /** A condition does not hold: 412, and nothing changes. */
        FAILED
    }

    /** True when the request carries a condition this class evaluates (If-Range is {@link IfRange}'s). */
    static boolean present(ContainerRequestContext request) {
        return request.getHeaderString("If-Match") != null || request.getHeaderString("If-None-Match") != null
                || request.getHeaderString("If-Unmodified-Since") != null
                || request.getHeaderString("If-Modified-Since") != null;
    }

    /**
     * RFC 9110 §13.2.2 for {@code file} ({@code null} when the name has no version).
     *
     * @param now the server's time: an {@code If-Modified-Since} after it is not a valid date (§13.1.3) and is ignored
     */
    static Verdict evaluate(ContainerRequestContext request, StoredFile file, Instant now) {
        boolean read = "GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod());
        String ifMatch = request.getHeaderString("If-Match");
        if (ifMatch != null) {
            if (file == null || !(EntityTags.isAny(ifMatch) || anyTag(ifMatch, tag -> tag.strongMatch(file), false))) {
                return Verdict.FAILED;
            }
        } else {
            Optional<Instant> unmodifiedSince = date(request.getHeaderString("If-Unmodified-Since"));
            if (file != null && unmodifiedSince.isPresent() && !storedBefore(file, unmodifiedSince.get())) {
                return Verdict.FAILED;
            }
        }
        String ifNoneMatch = request.getHeaderString("If-None-Match");
        if (ifNoneMatch != null) {
            // a malformed list lets a read through (a whole answer is always safe), never a change
            if (file != null && (EntityTags.isAny(ifNoneMatch) || anyTag(ifNoneMatch, tag -> tag.weakMatch(file), !read))) {
                return read ? Verdict.NOT_MODIFIED : Verdict.FAILED;
            }
            return Verdict.PROCEED;
        }
        if (read && file != null) {
            Optional<Instant> modifiedSince = date(request.getHeaderString("If-Modified-Since"))
                    .filter(date -> !date.isAfter(now));
            if (modifiedSince.isPresent() && storedBefore(file, modifiedSince.get())) {
                return Verdict.NOT_MODIFIED;
            }
        }
        return Verdict.PROCEED;
    }

    /** The version existed before {@code date}: see the class comment for why not "in the same second". */
    private static boolean storedBefore(StoredFile file, Instant date) {
        return file.uploadedOn().isBefore(date);
    }

    private static boolean anyTag(String header, java.util.function.Predicate<EntityTags.Tag> matches,
                                  boolean whenMalformed) {
        return EntityTags.list(header).map(tags -> tags.stream().anyMatch(matches)).orElse(whenMalformed);
    }

    /** An HTTP-date in any of the three forms a recipient must read (RFC 9110 §5.6.7), or empty. */
    static Optional<Instant> date(String header) {
        if (header == null || header.length() > MAX_DATE_LENGTH) {
            return Optional.empty();
        }
        for (DateTimeFormatter format : HTTP_DATES) {
            try {
                return Optional.of(ZonedDateTime.parse(header.strip(), format).toInstant());
            } catch (DateTimeParseException notThisForm) {
                // the next form
            }
        }
        return Optional.empty();
    }
}
