package dev.filestaging.ports.in;

import java.time.Duration;

/** What a token request got, in the terms of RFC 6749 section 5. */
public sealed interface TokenOutcome {

    /** One method per outcome: implement it to handle every one of them (a new outcome fails to compile there). */
    interface Cases<R> {
        R issued(Issued outcome);

        R invalidRequest(InvalidRequest outcome);

        R invalidClient(InvalidClient outcome);

        R unsupportedGrantType(UnsupportedGrantType outcome);

        R tooManyAttempts(TooManyAttempts outcome);
    }

    <R> R fold(Cases<R> cases);

    record Issued(String accessToken, long expiresInSeconds) implements TokenOutcome {
        @Override
        public <R> R fold(Cases<R> cases) {
            return cases.issued(this);
        }

        @Override
        public String toString() {
            return "Issued[accessToken=***, expiresInSeconds=" + expiresInSeconds + "]";
        }
    }

    /** {@code invalid_request}: a parameter is missing or malformed. */
    record InvalidRequest(String reason) implements TokenOutcome {
        @Override
        public <R> R fold(Cases<R> cases) {
            return cases.invalidRequest(this);
        }
    }

    /** {@code invalid_client}: unknown client, wrong secret, revoked, or another realm's client. */
    record InvalidClient(String reason) implements TokenOutcome {
        @Override
        public <R> R fold(Cases<R> cases) {
            return cases.invalidClient(this);
        }
    }

    /** {@code unsupported_grant_type}: only {@code client_credentials} is served. */
    record UnsupportedGrantType(String grantType) implements TokenOutcome {
        @Override
        public <R> R fold(Cases<R> cases) {
            return cases.unsupportedGrantType(this);
        }
    }

    /** Too many failed attempts for this client lately: try again after {@code retryAfter}. */
    record TooManyAttempts(Duration retryAfter) implements TokenOutcome {
        @Override
        public <R> R fold(Cases<R> cases) {
            return cases.tooManyAttempts(this);
        }
    }
}
