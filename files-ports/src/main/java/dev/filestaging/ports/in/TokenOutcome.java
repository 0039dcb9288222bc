package dev.filestaging.ports.in;

import java.time.Duration;

/** What a token request got, in the terms of RFC 6749 section 5. */
public sealed interface TokenOutcome {

    record Issued(String accessToken, long expiresInSeconds) implements TokenOutcome {
        @Override
        public String toString() {
            return "Issued[accessToken=***, expiresInSeconds=" + expiresInSeconds + "]";
        }
    }

    /** {@code invalid_request}: a parameter is missing or malformed. */
    record InvalidRequest(String reason) implements TokenOutcome {}

    /** {@code invalid_client}: unknown client, wrong secret, revoked, or another realm's client. */
    record InvalidClient(String reason) implements TokenOutcome {}

    /** {@code unsupported_grant_type}: only {@code client_credentials} is served. */
    record UnsupportedGrantType(String grantType) implements TokenOutcome {}

    /** Too many failed attempts for this client lately: try again after {@code retryAfter}. */
    record TooManyAttempts(Duration retryAfter) implements TokenOutcome {}
}
