package dev.filestaging.adapter.jersey.http;

import java.util.Locale;

/**
 * The strict reading of an HTTP/1.1 request head (RFC 9112 §2–§6, RFC 9110 §5), checked on the raw bytes before
 * Grizzly's parser sees them, because that parser is lenient where leniency lets a request be smuggled past a proxy
 * that reads the same bytes differently: it ignores a {@code Transfer-Encoding} it does not know (and then reads the
 * body as the next request), takes a field name with spaces, folds lines, accepts any byte in the method, a bare LF
 * as a line end and CR or NUL inside values.
 *
 * <p>A head is refused when: the request line is not {@code method SP request-target SP HTTP-version} with a token
 * method and a target of visible ASCII (400); the version is not HTTP/1.x (505); a line does not end in CRLF; a field
 * name is not a token, or whitespace precedes the colon; a value holds a control character other than HTAB; a line is
 * folded (obs-fold); {@code Host} is missing (1.1) or repeated; {@code Content-Length} is not one decimal number;
 * {@code Transfer-Encoding} comes with {@code Content-Length}, in HTTP/1.0, or does not end in exactly one
 * {@code chunked} (400) or names another coding (501, the only one the server implements being chunked). Every refusal
 * closes the connection: after a framing error nothing on it can be trusted.
 *
 * <p>Work is linear in the head's length, which Grizzly's header size limit bounds.
 */
final class RequestHead {
    /** The longest Content-Length taken: 18 digits always fit a long. */
    private static final int MAX_LENGTH_DIGITS = 18;

    private static final boolean[] TCHAR = new boolean[128];

    static {
        for (char c = '0'; c <= '9'; c++) {
            TCHAR[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            TCHAR[c] = true;
            TCHAR[Character.toUpperCase(c)] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TCHAR[c] = true;
        }
    }

    private RequestHead() {}

    /** How a head is answered when it is refused: the status and why, for the problem's detail. */
    record Refusal(int status, String reason) {}

    /**
     * Where the head that starts at {@code from} ends: the index after its empty line, or -1 while it is incomplete.
     * A bare LF also ends the scan (at the byte after it), so that a head with one is refused rather than waited for.
     */
    static int end(ByteSource bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes.at(i) != '\n') {
                continue;
            }
            if (i == from || bytes.at(i - 1) != '\r') {
                return i + 1; // a bare LF: refused by check
            }
            if (i + 2 < to && bytes.at(i + 1) == '\r' && bytes.at(i + 2) == '\n') {
                return i + 3;
            }
        }
        return -1;
    }

    /** How many bytes of empty lines (CRLF) precede the request line: RFC 9112 §2.2 has them ignored. */
    static int emptyLines(ByteSource bytes, int from, int to) {
        int i = from;
        while (i + 1 < to && bytes.at(i) == '\r' && bytes.at(i + 1) == '\n') {
            i += 2;
        }
        return i - from;
    }

    /** The method of the head starting at {@code from} when it is a short token, else null. */
    static String method(ByteSource bytes, int from, int to) {
        StringBuilder method = new StringBuilder();
        for (int i = from; i < to && i < from + 16; i++) {
            int b = bytes.at(i);
            if (b == ' ') {
                return method.length() > 0 ? method.toString() : null;
            }
            if (b < 0 || b >= 128 || !TCHAR[b]) {
                return null;
            }
            method.append((char) b);
        }
        return null;
    }

    /** The bytes of a head, read by index. */
    @FunctionalInterface
    interface ByteSource {
        int at(int index);
    }

    /**
     * Checks a complete head: the request line, the field lines and the empty line, no empty line before it.
     *
     * @return null when the head is strict HTTP/1.1, else how to refuse it
     */
    static Refusal check(byte[] head) {
        int lineEnd = lineEnd(head, 0);
        if (lineEnd < 0) {
            return bad("a line of the request does not end in CRLF");
        }
        int firstSpace = indexOf(head, (byte) ' ', 0, lineEnd);
        if (firstSpace <= 0 || !isToken(head, 0, firstSpace)) {
            return bad("the method is not a token (RFC 9110 §9.1)");
        }
        int secondSpace = indexOf(head, (byte) ' ', firstSpace + 1, lineEnd);
        if (secondSpace < 0 || secondSpace == firstSpace + 1) {
            return bad("the request line is not 'method SP target SP version' (RFC 9112 §3)");
        }
        for (int i = firstSpace + 1; i < secondSpace; i++) {
            if (head[i] < 0x21 || head[i] > 0x7e) {
                return bad("the request target holds a byte that is not visible ASCII (RFC 9112 §3.2)");
            }
        }
        String version = ascii(head, secondSpace + 1, lineEnd);
        if (!version.matches("HTTP/[0-9]\\.[0-9]")) {
            return bad("the request line does not end in an HTTP version (RFC 9112 §2.3)");
        }
        if (version.charAt(5) != '1') {
            return new Refusal(505, "this server speaks HTTP/1.1 only");
        }
        boolean http10 = version.equals("HTTP/1.0");

        int hosts = 0;
        int lengths = 0;
        String length = null;
        StringBuilder codings = null;
        int at = lineEnd + 2;
        while (true) {
            int end = lineEnd(head, at);
            if (end < 0) {
                return bad("a line of the request does not end in CRLF");
            }
            if (end == at) {
                break; // the empty line
            }
            if (head[at] == ' ' || head[at] == '\t') {
                return bad("a header line is folded (obs-fold, RFC 9112 §5.2)");
            }
            int colon = indexOf(head, (byte) ':', at, end);
            if (colon <= at || !isToken(head, at, colon)) {
                return bad("a header name is not a token, or whitespace precedes its colon (RFC 9112 §5.1)");
            }
            for (int i = colon + 1; i < end; i++) {
                int b = head[i] & 0xff;
                if ((b < 0x20 && b != '\t') || b == 0x7f) {
                    return bad("a header value holds a control character (RFC 9110 §5.5)");
                }
            }
            String name = ascii(head, at, colon).toLowerCase(Locale.ROOT);
            String value = ascii(head, colon + 1, end).strip();
            switch (name) {
                case "host" -> {
                    hosts++;
                    if (!value.matches("[A-Za-z0-9._~!$&'()*+,;=%\\[\\]:-]*")) {
                        return bad("the Host header is not a host and port (RFC 9110 §7.2)");
                    }
                }
                case "content-length" -> {
                    lengths++;
                    length = value;
                }
                case "transfer-encoding" -> codings = (codings == null ? new StringBuilder() : codings.append(','))
                        .append(value);
                default -> { }
            }
            at = end + 2;
        }
        if (hosts > 1 || (hosts == 0 && !http10)) {
            return bad("an HTTP/1.1 request carries exactly one Host header (RFC 9112 §3.2)");
        }
        if (lengths > 1 || (length != null
                && (length.isEmpty() || length.length() > MAX_LENGTH_DIGITS
                || !length.chars().allMatch(c -> c >= '0' && c <= '9')))) {
            return bad("Content-Length is not one decimal number (RFC 9110 §8.6)");
        }
        if (codings != null) {
            if (length != null) {
                return bad("Transfer-Encoding and Content-Length together (RFC 9112 §6.3)");
            }
            if (http10) {
                return bad("Transfer-Encoding in an HTTP/1.0 request (RFC 9112 §6.1)");
            }
            return checkCodings(codings.toString());
        }
        return null;
    }

    /** The codings of Transfer-Encoding (a list, RFC 9110 §5.6.1): exactly one chunked, last. */
    private static Refusal checkCodings(String list) {
        String[] elements = list.split(",", -1);
        int chunked = 0;
        boolean other = false;
        boolean chunkedLast = false;
        for (String raw : elements) {
            String element = raw.strip();
            if (element.isEmpty()) {
                continue;
            }
            String coding = element.toLowerCase(Locale.ROOT);
            int parameters = coding.indexOf(';');
            String name = (parameters < 0 ? coding : coding.substring(0, parameters)).strip();
            byte[] nameBytes = name.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            if (name.isEmpty() || !isToken(nameBytes, 0, nameBytes.length)) {
                return bad("Transfer-Encoding is not a list of codings (RFC 9112 §6.1)");
            }
            if (coding.equals("chunked")) {
                chunked++;
                chunkedLast = true;
            } else {
                other = true;
                chunkedLast = false;
            }
        }
        if (chunked == 0 && !other) {
            return bad("Transfer-Encoding names no coding (RFC 9112 §6.1)");
        }
        if (chunked > 1 || (chunked == 1 && !chunkedLast)) {
            return bad("chunked is not the last coding of Transfer-Encoding, or comes twice (RFC 9112 §6.3)");
        }
        if (other) {
            return new Refusal(501, "the only transfer coding this server reads is chunked (RFC 9112 §6.1)");
        }
        return null;
    }

    private static Refusal bad(String reason) {
        return new Refusal(400, reason);
    }

    /** The index of the CR of the CRLF ending the line that starts at {@code from}; -1 at a bare CR or LF. */
    private static int lineEnd(byte[] head, int from) {
        for (int i = from; i < head.length; i++) {
            if (head[i] == '\r') {
                return i + 1 < head.length && head[i + 1] == '\n' ? i : -1;
            }
            if (head[i] == '\n') {
                return -1;
            }
        }
        return -1;
    }

    private static int indexOf(byte[] head, byte wanted, int from, int to) {
        for (int i = from; i < to; i++) {
            if (head[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isToken(byte[] bytes, int from, int to) {
        if (from >= to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            int b = bytes[i] & 0xff;
            if (b >= 128 || !TCHAR[b]) {
                return false;
            }
        }
        return true;
    }

    private static String ascii(byte[] bytes, int from, int to) {
        return new String(bytes, from, to - from, java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
