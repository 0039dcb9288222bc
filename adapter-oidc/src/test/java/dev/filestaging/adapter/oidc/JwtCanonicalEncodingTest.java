package dev.filestaging.adapter.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.Role;
import dev.filestaging.ports.fixtures.InMemorySmallRecordStore;
import dev.filestaging.ports.out.AccessTokenClaims;
import dev.filestaging.ports.out.TokenVerifier.TokenCheck;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** One token, one spelling: base64url variants that decode to the same bytes are not the token. */
class JwtCanonicalEncodingTest {
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    private static final String ISSUER = JwtVerifierTest.ACME_ISSUER;

    private final JwtSigner signer = new JwtSigner(new InMemorySmallRecordStore(), Clock.systemUTC());
    private final JwtVerifier verifier = new JwtVerifier(signer, JwtVerifierTest.BASE, List.of(), new Discovery());

    private String token() {
        Instant now = Instant.now();
        return signer.sign(new AccessTokenClaims(ISSUER, "sa-1", "client-1", new OrganizationId("acme"),
                Set.of(Role.MANAGE_FILES), now, now.plusSeconds(300)));
    }

    /** The same bytes: the last character with the lowest of its unused bits flipped. */
    private static String sameBytes(String part) {
        char last = part.charAt(part.length() - 1);
        return part.substring(0, part.length() - 1) + ALPHABET.charAt(ALPHABET.indexOf(last) ^ 1);
    }

    private static String padded(String part) {
        return part + "=".repeat((4 - part.length() % 4) % 4);
    }

    @Test
    void only_the_canonical_spelling_of_a_token_is_valid_even_once_the_token_was_verified() {
        String token = token();
        String[] parts = token.split("\\.");
        assertThat(verifier.verify(token)).isInstanceOf(TokenCheck.Valid.class); // now remembered as verified

        // an ES256 signature is 64 bytes: 86 characters, the last with four unused bits; padded, two '='
        List<String> variants = List.of(parts[0] + "." + parts[1] + "." + sameBytes(parts[2]),
                parts[0] + "." + parts[1] + "." + padded(parts[2]),
                padded(parts[0]) + "." + parts[1] + "." + parts[2],
                parts[0] + "." + padded(parts[1]) + "." + parts[2]);
        for (String variant : variants) {
            if (!variant.equals(token)) {
                assertThat(verifier.verify(variant)).as(variant).isInstanceOf(TokenCheck.Rejected.class);
            }
        }
        assertThat(padded(parts[2])).isNotEqualTo(parts[2]);
        assertThat(verifier.verify(token)).isInstanceOf(TokenCheck.Valid.class);
    }

    @Test
    void a_huge_token_is_refused_in_bounded_time() {
        String huge = "eyJ" + "A".repeat(4 << 20) + "." + "B".repeat(1 << 20) + "=." + "C".repeat(1 << 20);
        assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertThat(verifier.verify(huge)).isInstanceOf(TokenCheck.Rejected.class));
    }
}
