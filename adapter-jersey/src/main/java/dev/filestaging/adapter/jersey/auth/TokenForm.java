package dev.filestaging.adapter.jersey.auth;

import dev.filestaging.adapter.jersey.http.RequestBodies;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The token endpoint's {@code application/x-www-form-urlencoded} body, read here rather than by JAX-RS's
 * {@code @FormParam}: that one fails with a 500 on a body over the limit or a missing one, and silently keeps one of
 * two values of a parameter, where RFC 6749 §3.2 says a parameter must not be sent twice.
 */
final class TokenForm {
    private TokenForm() {}

    /** The form is not one: a parameter twice, or a broken percent-encoding. */
    static final class Malformed extends Exception {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Reads and decodes the whole body; it is already bounded on the wire ({@link RequestBodies}), and read once, in
     * time linear in its size.
     *
     * @throws IOException reading the body failed (over the limit, cut off, too slow)
     */
    static Map<String, String> parse(InputStream body) throws IOException, Malformed {
        String text = new String(body.readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : text.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            if (parameters.putIfAbsent(name, value) != null) {
                throw new Malformed("the parameter " + shown(name) + " is sent more than once (RFC 6749 §3.2)");
            }
        }
        return parameters;
    }

    private static String decode(String encoded) throws Malformed {
        try {
            return URLDecoder.decode(encoded, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException broken) {
            throw new Malformed("the form body is not application/x-www-form-urlencoded (a broken %-escape)");
        }
    }

    /** A client's parameter name, quoted and cut short, for a message. */
    private static String shown(String name) {
        String printable = name.codePoints().limit(40)
                .map(c -> c < 0x20 || c == 0x7F ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return "'" + printable + (name.length() > 40 ? "…" : "") + "'";
    }
}
