package dev.filestaging.adapter.jersey.events;

import java.time.Duration;
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
import java.util.regex.Pattern;

/**
 * The delay a {@code Retry-After} header asks for (RFC 9110 §10.2.3): delta-seconds, or an HTTP-date in any of its
 * three forms (§5.6.7: recipients must accept the obsolete ones too). What the endpoint asks for is a wish: it is
 * capped at {@link #MAX}, so one answer cannot hold an area's events back for longer; a date already past is no delay;
 * a malformed value is ignored, as if the header were absent.
 */
final class RetryAfter {
    static final Duration MAX = Duration.ofDays(1);

    private static final Pattern DELTA_SECONDS = Pattern.compile("[0-9]+");
    /** More digits than this are more than {@link #MAX} whatever they say, and would overflow a long. */
    private static final int MAX_DIGITS = 9;
    private static final DateTimeFormatter ASCTIME = DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy",
            Locale.US);

    private RetryAfter() {}

    static Optional<Duration> parse(Optional<String> header, Instant now) {
        return header.map(String::strip).flatMap(value -> parse(value, now)).map(delay -> delay.compareTo(MAX) > 0
                ? MAX : delay);
    }

    private static Optional<Duration> parse(String value, Instant now) {
        if (DELTA_SECONDS.matcher(value).matches()) {
            return Optional.of(value.length() > MAX_DIGITS ? MAX : Duration.ofSeconds(Long.parseLong(value)));
        }
        return date(value, now).map(at -> at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO);
    }

    private static Optional<Instant> date(String value, Instant now) {
        for (DateTimeFormatter format : List.of(DateTimeFormatter.RFC_1123_DATE_TIME, rfc850(now), ASCTIME)) {
            try {
                return Optional.of(ZonedDateTime.parse(value, format.withZone(ZoneOffset.UTC)).toInstant());
            } catch (DateTimeParseException malformed) {
                // try the next form
            }
        }
        return Optional.empty();
    }

    /**
     * {@code Sunday, 06-Nov-94 08:49:37 GMT}. Its two-digit year is the one within 50 years ahead of {@code now} or
     * else in the past (§5.6.7), which must be settled while parsing: the day of the week is checked against it.
     */
    private static DateTimeFormatter rfc850(Instant now) {
        return new DateTimeFormatterBuilder().appendPattern("EEEE, dd-MMM-")
                .appendValueReduced(ChronoField.YEAR, 2, 2, now.atZone(ZoneOffset.UTC).getYear() - 49)
                .appendPattern(" HH:mm:ss 'GMT'").toFormatter(Locale.US);
    }
}
