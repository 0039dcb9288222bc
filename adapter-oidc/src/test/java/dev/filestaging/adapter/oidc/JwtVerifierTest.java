package dev.filestaging.adapter.oidc;

import dev.filestaging.ports.fixtures.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.Role;
import dev.filestaging.ports.fixtures.InMemorySmallRecordStore;
import dev.filestaging.ports.out.AccessTokenClaims;
import dev.filestaging.ports.out.TokenVerifier.TokenCheck;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The built-in issuer's tokens: signed, published, verified, refused when anything is off. */
class JwtVerifierTest {

    static final String BASE = "https://files.example.com";
    static final String ACME_ISSUER = BASE + "/auth/realms/acme";

    private final MutableClock clock = new MutableClock(Instant.now());
    private final InMemorySmallRecordStore store = new InMemorySmallRecordStore();
    private final JwtSigner signer = new JwtSigner(store, clock);
    private final JwtVerifier verifier = new JwtVerifier(signer, BASE, List.of(), new Discovery());

    private String token(String issuer, String organization, Instant expiresAt) {
        return signer.sign(new AccessTokenClaims(issuer, "sa-1", "client-1", new OrganizationId(organization),
                Set.of(Role.MANAGE_FILES), expiresAt.minus(Duration.ofMinutes(5)), expiresAt));
    }

    private static String sign(JWSHeader header, JWTClaimsSet claims, ECKey key) throws Exception {
        SignedJWT jwt = new SignedJWT(header, claims);
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }

    private static JWTClaimsSet claims(String audience) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(ACME_ISSUER).subject("sa-1").audience(audience)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)))
                .claim("org", "acme").claim("roles", List.of("ManageFiles")).build();
    }

    @Test
    void a_token_of_the_built_in_issuer_is_valid_with_its_organization_subject_and_roles() {
        TokenCheck check = verifier.verify(token(ACME_ISSUER, "acme", clock.instant().plusSeconds(300)));

        assertThat(check).isEqualTo(new TokenCheck.Valid(ACME_ISSUER, "sa-1", "acme", Set.of("ManageFiles")));
    }

    @Test
    void an_expired_token_is_reported_as_expired_with_its_exp_beyond_the_clock_skew() {
        Instant expired = Instant.now().minusSeconds(JwtVerifier.DEFAULT_CLOCK_SKEW.toSeconds() + 5).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        assertThat(verifier.verify(token(ACME_ISSUER, "acme", expired))).isEqualTo(new TokenCheck.Expired(expired));
        // within the skew it still passes
        assertThat(verifier.verify(token(ACME_ISSUER, "acme", Instant.now().minusSeconds(5))))
                .isInstanceOf(TokenCheck.Valid.class);
    }

    @Test
    void a_token_whose_organization_is_not_its_realm_is_refused() {
        assertThat(verifier.verify(token(ACME_ISSUER, "globex", clock.instant().plusSeconds(300))))
                .isInstanceOf(TokenCheck.Rejected.class);
    }

    @Test
    void unsigned_tokens_are_refused() {
        String none = new PlainJWT(claims(JwtSigner.AUDIENCE)).serialize();
        assertThat(verifier.verify(none)).isInstanceOf(TokenCheck.Rejected.class);
    }

    @Test
    void an_hmac_token_keyed_with_the_published_public_key_is_refused() throws Exception {
        byte[] publicKey = signer.keys().current().toPublicJWK().toECPublicKey().getEncoded();
        byte[] secret = java.util.Arrays.copyOf(publicKey, Math.max(32, publicKey.length));
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256)
                .keyID(signer.keys().current().getKeyID()).type(JOSEObjectType.JWT).build(), claims(JwtSigner.AUDIENCE));
        jwt.sign(new MACSigner(secret));

        assertThat(verifier.verify(jwt.serialize())).isInstanceOf(TokenCheck.Rejected.class);
    }

    @Test
    void a_token_signed_by_another_key_under_our_key_id_is_refused() throws Exception {
        ECKey forger = new ECKeyGenerator(Curve.P_256).keyID(signer.keys().current().getKeyID()).generate();
        String forged = sign(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(forger.getKeyID())
                .type(JOSEObjectType.JWT).build(), claims(JwtSigner.AUDIENCE), forger);

        assertThat(verifier.verify(forged)).isInstanceOf(TokenCheck.Rejected.class);
    }

    @Test
    void a_token_for_another_audience_or_of_an_unknown_issuer_is_refused() throws Exception {
        ECKey ours = signer.keys().current();
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(ours.getKeyID()).type(JOSEObjectType.JWT).build();
        assertThat(verifier.verify(sign(header, claims("another-api"), ours))).isInstanceOf(TokenCheck.Rejected.class);
        assertThat(verifier.verify(token("https://evil.example.com/auth/realms/acme", "acme", clock.instant().plusSeconds(60))))
                .isEqualTo(new TokenCheck.Rejected("its issuer is not trusted here"));
    }

    @Test
    void tokens_signed_before_a_rotation_stay_valid_and_another_process_learns_the_new_key() {
        String before = token(ACME_ISSUER, "acme", clock.instant().plusSeconds(300));
        JwtSigner otherProcess = new JwtSigner(store, clock);
        JwtVerifier otherVerifier = new JwtVerifier(otherProcess, BASE, List.of(), new Discovery());

        String newKey = signer.rotateKey();
        String after = token(ACME_ISSUER, "acme", clock.instant().plusSeconds(300));

        assertThat(SignedJwtKeyId.of(after)).isEqualTo(newKey);
        assertThat(verifier.verify(before)).isInstanceOf(TokenCheck.Valid.class);
        assertThat(verifier.verify(after)).isInstanceOf(TokenCheck.Valid.class);
        clock.advance(java.time.Duration.ofSeconds(6)); // reloads of unknown keys are at most every five seconds
        assertThat(otherVerifier.verify(after)).isInstanceOf(TokenCheck.Valid.class);
        assertThat(signer.publicKeysJson()).contains(newKey).doesNotContain("\"d\"");
    }

    @Test
    void a_remembered_valid_token_is_still_reported_expired_once_its_exp_passes() throws Exception {
        JwtVerifier noSkew = new JwtVerifier(signer, BASE, List.of(), new Discovery(), Duration.ZERO);
        Instant expiresAt = Instant.now().plusMillis(1500);
        String token = token(ACME_ISSUER, "acme", expiresAt);
        assertThat(noSkew.verify(token)).isInstanceOf(TokenCheck.Valid.class);
        assertThat(noSkew.verify(token)).isInstanceOf(TokenCheck.Valid.class);

        Thread.sleep(Math.max(0, Duration.between(Instant.now(), expiresAt).toMillis()) + 1100);

        assertThat(noSkew.verify(token)).isInstanceOf(TokenCheck.Expired.class);
    }

    @Test
    void api_keys_are_not_mistaken_for_tokens() {
        assertThat(verifier.verify("fsk_abcdefghijklmnop")).isInstanceOf(TokenCheck.NotAJwt.class);
    }
    @Test
    void a_token_without_an_issuer_is_refused_not_failed() throws Exception {
        ECKey ours = signer.keys().current();
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(ours.getKeyID()).type(JOSEObjectType.JWT).build();
        JWTClaimsSet noIssuer = new JWTClaimsSet.Builder(claims(JwtSigner.AUDIENCE)).issuer(null).build();

        assertThat(verifier.verify(sign(header, noIssuer, ours)))
                .isEqualTo(new TokenCheck.Rejected("it has no issuer (iss claim)"));
    }

    /** The key id in a compact JWS header. */
    static final class SignedJwtKeyId {
        static String of(String token) {
            try {
                return SignedJWT.parse(token).getHeader().getKeyID();
            } catch (java.text.ParseException e) {
                throw new AssertionError(e);
            }
        }
    }
}
