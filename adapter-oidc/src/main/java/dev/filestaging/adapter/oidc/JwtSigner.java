package dev.filestaging.adapter.oidc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.filestaging.ports.Role;
import dev.filestaging.ports.out.AccessTokenClaims;
import dev.filestaging.ports.out.SmallRecordStore;
import dev.filestaging.ports.out.TokenSigner;
import java.time.Clock;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Signs the built-in issuer's access tokens with ES256. Claims follow Keycloak's shape where clients may look:
 * {@code sub} the service account, {@code azp} the client, {@code org} the organization, roles both as {@code roles}
 * and as {@code realm_access.roles}.
 */
public final class JwtSigner implements TokenSigner {

    /** The audience of the built-in issuer's tokens: this API. */
    public static final String AUDIENCE = "files-api";

    private final SigningKeys keys;

    public JwtSigner(SmallRecordStore store, Clock clock) {
        this.keys = new SigningKeys(store, clock);
    }

    /** Starts signing with a new key; tokens of the old ones stay valid until they expire. Returns the new key id. */
    public String rotateKey() {
        return keys.rotate().getKeyID();
    }

    SigningKeys keys() {
        return keys;
    }

    @Override
    public String sign(AccessTokenClaims claims) {
        List<String> roles = claims.roles().stream().map(Role::wireName).sorted().toList();
        JWTClaimsSet set = new JWTClaimsSet.Builder()
                .issuer(claims.issuer())
                .subject(claims.subject())
                .audience(AUDIENCE)
                .issueTime(Date.from(claims.issuedAt()))
                .notBeforeTime(Date.from(claims.issuedAt()))
                .expirationTime(Date.from(claims.expiresAt()))
                .jwtID(UUID.randomUUID().toString())
                .claim("azp", claims.clientId())
                .claim("typ", "Bearer")
                .claim(BuiltInIssuer.ORGANIZATION_CLAIM, claims.organization().value())
                .claim("roles", roles)
                .claim("realm_access", Map.of("roles", roles))
                .build();
        ECKey key = keys.current();
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(), set);
        try {
            jwt.sign(new ECDSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("signing failed", e);
        }
        return jwt.serialize();
    }

    @Override
    public String publicKeysJson() {
        return keys.publicKeys().toString(true);
    }
}
