package dev.filestaging.ports.in;

import java.util.Objects;

/** What a caller presented to prove who it is. {@code toString} never shows the secret. */
public sealed interface Credentials {

    /** An API key, sent as {@code Bearer <key>} or as the user name of HTTP Basic. */
    record ApiKey(String secret) implements Credentials {
        public ApiKey {
            Objects.requireNonNull(secret, "secret");
        }

        @Override
        public String toString() {
            return "ApiKey[***]";
        }
    }

    /** A bearer token that is not one of our API keys (an OAuth access token, for instance). */
    record BearerToken(String token) implements Credentials {
        public BearerToken {
            Objects.requireNonNull(token, "token");
        }

        @Override
        public String toString() {
            return "BearerToken[***]";
        }
    }
}
