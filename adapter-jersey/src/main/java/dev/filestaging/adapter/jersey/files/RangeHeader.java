package dev.filestaging.adapter.jersey.files;

import dev.filestaging.ports.ByteRange;

/**
 * Reads a {@code Range} header (RFC 9110 §14.2). Only one byte range is served as such; a header that is malformed,
 * names another unit or asks for several ranges is ignored and the whole file is sent, as the RFC allows.
 *
 * <p>Read by hand in one pass, not by a regular expression: the pattern this replaced had adjacent optional runs of
 * whitespace and took time quadratic in the header (180 ms for 8 KiB of spaces), per request, for anyone.
 */
final class RangeHeader {
    private RangeHeader() {}

    static ByteRange parse(String header) {
        if (header == null) {
            return ByteRange.WHOLE;
        }
        Cursor at = new Cursor(header);
        at.skipSpace();
        if (!at.word("bytes")) {
            return ByteRange.WHOLE;
        }
        at.skipSpace();
        if (!at.next('=')) {
            return ByteRange.WHOLE;
        }
        at.skipSpace();
        String first = at.digits();
        at.skipSpace();
        if (!at.next('-')) {
            return ByteRange.WHOLE;
        }
        at.skipSpace();
        String last = at.digits();
        at.skipSpace();
        if (!at.atEnd()) {
            return ByteRange.WHOLE; // another range after a comma, or anything else
        }
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
        long value = 0;
        for (int i = 0; i < digits.length(); i++) {
            int digit = digits.charAt(i) - '0';
            if (value > (Long.MAX_VALUE - digit) / 10) {
                return Long.MAX_VALUE;
            }
            value = value * 10 + digit;
        }
        return value;
    }

    /** A position in the header, moving forward only. */
    private static final class Cursor {
        private final String text;
        private int at;

        Cursor(String text) {
            this.text = text;
        }

        void skipSpace() {
            while (at < text.length() && (text.charAt(at) == ' ' || text.charAt(at) == '\t')) {
                at++;
            }
        }

        boolean word(String word) {
            if (text.regionMatches(true, at, word, 0, word.length())) {
                at += word.length();
                return true;
            }
            return false;
        }

        boolean next(char c) {
            if (at < text.length() && text.charAt(at) == c) {
                at++;
                return true;
            }
            return false;
        }

        String digits() {
            int from = at;
            while (at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '9') {
                at++;
            }
            return text.substring(from, at);
        }

        boolean atEnd() {
            return at == text.length();
        }
    }
}
