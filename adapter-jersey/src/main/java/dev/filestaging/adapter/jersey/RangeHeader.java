package dev.filestaging.adapter.jersey;

import dev.filestaging.ports.ByteRange;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a {@code Range} header (RFC 9110 §14.2). Only one byte range is served as such; a header that is malformed,
 * names another unit or asks for several ranges is ignored and the whole file is sent, as the RFC allows.
 */
final class RangeHeader {
    private static final Pattern ONE_RANGE = Pattern.compile("\\s*bytes\\s*=\\s*(\\d*)\\s*-\\s*(\\d*)\\s*");

    private RangeHeader() {}

    static ByteRange parse(String header) {
        if (header == null) {
            return ByteRange.WHOLE;
        }
        Matcher range = ONE_RANGE.matcher(header.toLowerCase(Locale.ROOT));
        if (!range.matches()) {
            return ByteRange.WHOLE;
        }
        String first = range.group(1);
        String last = range.group(2);
        if (first.isEmpty()) {
            return last.isEmpty() ? ByteRange.WHOLE : new ByteRange.Suffix(number(last));
        }
        if (last.isEmpty()) {
            return new ByteRange.From(number(first));
        }
        long from = number(first);
        long to = number(last);
        return to < from ? ByteRange.WHOLE : new ByteRange.Span(from, to);
    }

    /** A position too large for a long is past the end of any file. */
    private static long number(String digits) {
        String significant = digits.replaceFirst("^0+(?=.)", "");
        return significant.length() > 18 ? Long.MAX_VALUE : Long.parseLong(significant);
    }
}
