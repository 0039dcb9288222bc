package dev.filestaging.adapter.jersey.multipart;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The parameters of a header value such as {@code form-data; name="file"; filename="a.csv"} or
 * {@code multipart/form-data; BOUNDARY=x} (RFC 9110 §5.6.6): names case-insensitive, values either tokens or quoted
 * strings with their quoted pairs {@code \"} and {@code \\} resolved (any other backslash is kept, as browsers and
 * Windows paths send it), and nothing else changed: a quoted value keeps
 * its spaces and tabs exactly, so a file name is what the client sent.
 *
 * <p>Written here rather than taken from a library because the libraries at hand trim quoted values, keep the
 * backslash of a quoted pair, or turn a tab into a space: each of those silently renamed files.
 */
final class HeaderParameters {
    private final String leading;
    private final Map<String, String> parameters;

    private HeaderParameters(String leading, Map<String, String> parameters) {
        this.leading = leading;
        this.parameters = parameters;
    }

    /** Thrown for a header value that breaks the grammar; the message says where, without echoing it. */
    static final class Malformed extends IllegalArgumentException {
        Malformed(String message) {
            super(message);
        }
    }

    static HeaderParameters parse(String header) {
        int semicolon = header.indexOf(';');
        String leading = (semicolon < 0 ? header : header.substring(0, semicolon)).strip();
        Map<String, String> parameters = new LinkedHashMap<>();
        int i = semicolon;
        while (i >= 0 && i < header.length()) {
            i = skipWhitespace(header, i + 1); // past the ';'
            if (i >= header.length()) {
                break;
            }
            int equals = header.indexOf('=', i);
            int nextSemicolon = header.indexOf(';', i);
            if (equals < 0 || (nextSemicolon >= 0 && nextSemicolon < equals)) {
                throw new Malformed("a parameter has no value");
            }
            String name = header.substring(i, equals).strip().toLowerCase(Locale.ROOT);
            i = skipWhitespace(header, equals + 1);
            StringBuilder value = new StringBuilder();
            if (i < header.length() && header.charAt(i) == '"') {
                i++;
                while (true) {
                    if (i >= header.length()) {
                        throw new Malformed("a quoted value is not closed");
                    }
                    char c = header.charAt(i++);
                    if (c == '"') {
                        break;
                    }
                    // a quoted pair, but only for the two characters that need one: clients send Windows paths
                    // (dir\file.csv) with raw backslashes, which must stay visible to the name rules
                    if (c == '\\' && i < header.length() && (header.charAt(i) == '"' || header.charAt(i) == '\\')) {
                        c = header.charAt(i++);
                    }
                    value.append(c);
                }
                i = skipWhitespace(header, i);
                if (i < header.length() && header.charAt(i) != ';') {
                    throw new Malformed("text follows a quoted value");
                }
            } else {
                int end = header.indexOf(';', i);
                end = end < 0 ? header.length() : end;
                value.append(header, i, end);
                i = end;
                String token = value.toString().strip();
                value.setLength(0);
                value.append(token);
            }
            parameters.putIfAbsent(name, value.toString());
        }
        return new HeaderParameters(leading, parameters);
    }

    private static int skipWhitespace(String s, int i) {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    /** What comes before the first parameter: the disposition type or the media type. */
    String leading() {
        return leading;
    }

    /** A parameter's value by case-insensitive name, or null. */
    String get(String name) {
        return parameters.get(name.toLowerCase(Locale.ROOT));
    }

    boolean has(String name) {
        return parameters.containsKey(name.toLowerCase(Locale.ROOT));
    }

    /**
     * An RFC 8187 extended value ({@code UTF-8''caf%C3%A9.csv}) decoded; empty when it is not one, names a charset
     * this JVM lacks, or its bytes are not valid in that charset (never replaced by U+FFFD).
     */
    static Optional<String> decodeExtended(String extended) {
        int first = extended.indexOf('\'');
        int second = first < 0 ? -1 : extended.indexOf('\'', first + 1);
        if (second < 0) {
            return Optional.empty();
        }
        Charset charset;
        try {
            charset = Charset.forName(extended.substring(0, first).strip());
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            return Optional.empty();
        }
        String encoded = extended.substring(second + 1);
        ByteBuffer bytes = ByteBuffer.allocate(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '%') {
                if (i + 2 >= encoded.length()) {
                    return Optional.empty();
                }
                int high = Character.digit(encoded.charAt(i + 1), 16);
                int low = Character.digit(encoded.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    return Optional.empty();
                }
                bytes.put((byte) (high * 16 + low));
                i += 2;
            } else if (c < 0x80) {
                bytes.put((byte) c);
            } else {
                return Optional.empty();
            }
        }
        bytes.flip();
        try {
            return Optional.of(charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
