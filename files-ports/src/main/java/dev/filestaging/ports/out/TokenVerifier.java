package dev.filestaging.ports.out;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * Checks bearer tokens (JWTs) of the trusted issuers: the built-in one and any configured identity provider. Every
 * check covers the signature (by the issuer's published keys), an allow-list of asymmetric algorithms, {@code exp} and
 * {@code nbf} with a small clock skew, the issuer and the audience.
 */
public interface TokenVerifier {

    /** Never throws for a bad token; when an identity provider cannot be reached, its tokens are rejected. */
    TokenCheck verify(String token);

    /** What a token check found. Reasons are safe to show: they never contain the token. */
    sealed interface TokenCheck {
        /**
         * A valid token of a trusted issuer.
         *
         * @param organization the organization claim as the issuer wrote it, or null when it has none
         * @param roles        the role names found in the configured roles claim
         */
        record Valid(String issuer, String subject, String organization, Set<String> roles) implements TokenCheck {
            public Valid {
                Objects.requireNonNull(issuer, "issuer");
                Objects.requireNonNull(subject, "subject");
                roles = Set.copyOf(roles);
            }
        }

        record Expired(Instant expiredAt) implements TokenCheck {}

        record Rejected(String reason) implements TokenCheck {}

        /** Not shaped like a JWT at all: perhaps an API key. */
        record NotAJwt() implements TokenCheck {}
    }
}
