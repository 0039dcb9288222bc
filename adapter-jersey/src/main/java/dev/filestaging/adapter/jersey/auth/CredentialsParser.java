package dev.filestaging.adapter.jersey.auth;

import dev.filestaging.adapter.jersey.problems.Problems;
import dev.filestaging.ports.in.Credentials;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Reads the Authorization header: {@code Bearer <key or token>}, or Polaris-style {@code Basic base64(<key>:)} where
 * the API key is the user name and the password is empty (or ignored).
 */
final class CredentialsParser {

    /** The credentials, or a problem saying what is wrong with the header. */
    Credentials parse(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw Problems.unauthorized("send an API key or token: Authorization: Bearer <key>");
        }
        String header = authorization.strip();
        int space = header.indexOf(' ');
        String scheme = space < 0 ? header : header.substring(0, space);
        String value = space < 0 ? "" : header.substring(space + 1).strip();
        if (value.isEmpty()) {
            // never echo the header: a bare key sent without its scheme would land in the answer (and in logs)
            throw Problems.unauthorized(isKnownScheme(scheme)
                    ? "the Authorization header has no credentials after its scheme"
                    : "the Authorization header has no scheme; send it as Authorization: Bearer <key>");
        }
        if (scheme.equalsIgnoreCase("Bearer")) {
            return new Credentials.BearerToken(value);
        }
        if (scheme.equalsIgnoreCase("Basic")) {
            return basicUser(value).<Credentials>map(Credentials.ApiKey::new)
                    .orElseThrow(() -> Problems.unauthorized("Basic credentials must be base64 of '<api key>:'"));
        }
        throw Problems.unauthorized("unsupported authorization scheme; use Bearer or Basic");
    }

    private static boolean isKnownScheme(String scheme) {
        return scheme.equalsIgnoreCase("Bearer") || scheme.equalsIgnoreCase("Basic");
    }

    private static Optional<String> basicUser(String encoded) {
        try {
            String decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            String user = colon < 0 ? decoded : decoded.substring(0, colon);
            return user.isEmpty() ? Optional.empty() : Optional.of(user);
        } catch (IllegalArgumentException notBase64) {
            return Optional.empty();
        }
    }
}
