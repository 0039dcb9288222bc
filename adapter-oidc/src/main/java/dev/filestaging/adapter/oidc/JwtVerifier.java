package dev.filestaging.adapter.oidc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jwt.proc.ExpiredJWTException;
import dev.filestaging.ports.out.TokenVerifier;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Verifies access tokens of the trusted issuers with Nimbus JOSE+JWT: the built-in issuer (one realm per
 * organization, keys from {@link JwtSigner}) and the configured {@link ExternalIssuer}s (keys from their JWKS, found
 * by OIDC discovery, cached and refetched when a token names an unknown key). The token's unverified {@code iss}
 * only picks which issuer's rules apply; those rules then check everything: a signature by that issuer's keys, an
 * asymmetric algorithm (never {@code none}, never HMAC, so a public key cannot be used as a shared secret),
 * {@code exp} and {@code nbf} with a small clock skew (30 seconds unless configured), the exact issuer and the audience.
 */
public final class JwtVerifier implements TokenVerifier {

    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(30);
    static final Set<JWSAlgorithm> ASYMMETRIC = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256, JWSAlgorithm.ES384,
            JWSAlgorithm.ES512);
    private static final DefaultJOSEObjectTypeVerifier<SecurityContext> ACCESS_TOKEN_TYPES =
            new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, new JOSEObjectType("at+jwt"), null);

    private static final Duration DISCOVERY_RETRY_AFTER = Duration.ofSeconds(30);
    /** Verified tokens, so that a client reusing its token for many calls pays for one signature check. */
    private static final int VERIFIED_TOKENS = 10_000;

    private record Verified(TokenCheck.Valid valid, Instant expiresAt) {}

    private final Map<String, Verified> verified = Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Verified> eldest) {
                    return size() > VERIFIED_TOKENS;
                }
            });
    private final BuiltInIssuer builtIn;
    private final DefaultJWTProcessor<SecurityContext> builtInProcessor;
    private final Map<String, ExternalRules> external;
    private final int clockSkewSeconds;

    /**
     * @param publicBaseUrl the base of the built-in issuer's URLs, as in {@code TokenIssuance}
     * @param discovery     fetches an external issuer's JWKS location and keys
     */
    public JwtVerifier(JwtSigner signer, String publicBaseUrl, List<ExternalIssuer> externalIssuers,
                       Discovery discovery) {
        this(signer, publicBaseUrl, externalIssuers, discovery, DEFAULT_CLOCK_SKEW);
    }

    public JwtVerifier(JwtSigner signer, String publicBaseUrl, List<ExternalIssuer> externalIssuers,
                       Discovery discovery, Duration clockSkew) {
        this.clockSkewSeconds = (int) clockSkew.toSeconds();
        this.builtIn = new BuiltInIssuer(publicBaseUrl);
        SigningKeys keys = signer.keys();
        this.builtInProcessor = processor(clockSkewSeconds,
                new JWSVerificationKeySelector<>(JWSAlgorithm.ES256, (selector, context) -> {
                    keys.reloadIfUnknown(selector.getMatcher().getKeyIDs() == null ? null
                            : selector.getMatcher().getKeyIDs().stream().findFirst().orElse(null));
                    return selector.select(keys.publicKeys());
                }),
                new DefaultJWTClaimsVerifier<>(Set.of(JwtSigner.AUDIENCE), null,
                        Set.of("iss", "sub", "exp", "iat", BuiltInIssuer.ORGANIZATION_CLAIM), null));
        this.external = externalIssuers.stream().collect(Collectors.toUnmodifiableMap(
                issuer -> issuer.issuer().toString(), issuer -> new ExternalRules(issuer, discovery, clockSkewSeconds)));
    }

    /** An external issuer's rules: its processor is built on first use, after discovery. */
    private static final class ExternalRules {
        private final ExternalIssuer issuer;
        private final Discovery discovery;
        private final int clockSkewSeconds;
        private volatile DefaultJWTProcessor<SecurityContext> processor;
        /** After a failed discovery, tokens are refused at once for a while instead of each waiting on the provider. */
        private volatile Instant discoveryRetryAt = Instant.MIN;

        ExternalRules(ExternalIssuer issuer, Discovery discovery, int clockSkewSeconds) {
            this.issuer = issuer;
            this.discovery = discovery;
            this.clockSkewSeconds = clockSkewSeconds;
        }

        DefaultJWTProcessor<SecurityContext> processor() throws KeySourceException {
            if (processor == null) {
                synchronized (this) {
                    if (processor == null) {
                        if (Instant.now().isBefore(discoveryRetryAt)) {
                            throw new KeySourceException("discovery of " + issuer.issuer() + " failed recently");
                        }
                        JWKSource<SecurityContext> keys;
                        try {
                            keys = discovery.keysOf(issuer.issuer());
                        } catch (KeySourceException e) {
                            discoveryRetryAt = Instant.now().plus(DISCOVERY_RETRY_AFTER);
                            throw e;
                        }
                        processor = JwtVerifier.processor(clockSkewSeconds,
                                new JWSVerificationKeySelector<>(ASYMMETRIC, keys),
                                new DefaultJWTClaimsVerifier<>(Set.of(issuer.audience()),
                                        new JWTClaimsSet.Builder().issuer(issuer.issuer().toString()).build(),
                                        Set.of("sub", "exp"), null));
                    }
                }
            }
            return processor;
        }
    }

    private static DefaultJWTProcessor<SecurityContext> processor(int clockSkewSeconds,
            JWSVerificationKeySelector<SecurityContext> keys, DefaultJWTClaimsVerifier<SecurityContext> claims) {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(ACCESS_TOKEN_TYPES);
        processor.setJWSKeySelector(keys);
        claims.setMaxClockSkew(clockSkewSeconds);
        processor.setJWTClaimsSetVerifier(claims);
        return processor;
    }

    @Override
    public TokenCheck verify(String token) {
        if (token.chars().filter(c -> c == '.').count() != 2) {
            return new TokenCheck.NotAJwt();
        }
        if (!canonicalParts(token)) {
            return new TokenCheck.Rejected("it is not a well-formed JWT (each part must be canonical base64url)");
        }
        Verified known = verified.get(token);
        if (known != null) {
            if (Instant.now().isBefore(known.expiresAt().plusSeconds(clockSkewSeconds))) {
                return known.valid();
            }
            verified.remove(token);
        }
        JWT jwt;
        String issuer;
        try {
            jwt = JWTParser.parse(token);
            issuer = jwt.getJWTClaimsSet().getIssuer();
        } catch (ParseException e) {
            return new TokenCheck.Rejected("it is not a well-formed JWT");
        }
        if (!(jwt instanceof SignedJWT signed)) {
            return new TokenCheck.Rejected("only signed tokens are accepted (not alg \"none\", not encrypted)");
        }
        if (issuer == null) {
            return new TokenCheck.Rejected("it has no issuer (iss claim)");
        }
        try {
            if (builtIn.issued(issuer)) {
                JWTClaimsSet claims = builtInProcessor.process(signed, null);
                String realm = builtIn.realmOf(issuer);
                if (!realm.equals(claims.getStringClaim(BuiltInIssuer.ORGANIZATION_CLAIM))) {
                    return new TokenCheck.Rejected("its organization does not match its issuer's realm");
                }
                return remember(token, claims, new TokenCheck.Valid(issuer, claims.getSubject(), realm,
                        roles(claims, "roles")));
            }
            ExternalRules rules = external.get(issuer);
            if (rules == null) {
                return new TokenCheck.Rejected("its issuer is not trusted here");
            }
            JWTClaimsSet claims = rules.processor().process(signed, null);
            String organization = rules.issuer.organization() != null ? rules.issuer.organization()
                    : text(claim(claims, rules.issuer.organizationClaim()));
            return remember(token, claims, new TokenCheck.Valid(issuer, claims.getSubject(), organization,
                    roles(claims, rules.issuer.rolesClaim())));
        } catch (ExpiredJWTException e) {
            return expired(signed);
        } catch (KeySourceException e) {
            return new TokenCheck.Rejected("the issuer's signing keys could not be fetched");
        } catch (BadJOSEException | JOSEException | ParseException e) {
            return new TokenCheck.Rejected(e.getMessage());
        }
    }

    /**
     * RFC 7515 §2: each part is base64url without padding. Nimbus also takes padding and ignores the unused low bits
     * of a part's last character, so one token would have several spellings that all verify (each a new entry in the
     * cache of verified tokens, and a token a deny-list by exact text would miss). Only the canonical one is accepted.
     */
    private static boolean canonicalParts(String token) {
        java.util.Base64.Decoder decoder = java.util.Base64.getUrlDecoder();
        java.util.Base64.Encoder encoder = java.util.Base64.getUrlEncoder().withoutPadding();
        for (String part : token.split("\\.", -1)) {
            try {
                if (!encoder.encodeToString(decoder.decode(part)).equals(part)) {
                    return false;
                }
            } catch (IllegalArgumentException notBase64) {
                return false;
            }
        }
        return true;
    }

    /** Every check but the expiry holds for the token's whole life, so a valid token is remembered until then. */
    private TokenCheck.Valid remember(String token, JWTClaimsSet claims, TokenCheck.Valid valid) {
        verified.put(token, new Verified(valid, claims.getExpirationTime().toInstant()));
        return valid;
    }

    private static TokenCheck expired(SignedJWT jwt) {
        try {
            return new TokenCheck.Expired(jwt.getJWTClaimsSet().getExpirationTime().toInstant());
        } catch (ParseException e) {
            return new TokenCheck.Rejected("expired");
        }
    }

    /** A claim by dotted path through nested objects ({@code realm_access.roles}), or null. */
    static Object claim(JWTClaimsSet claims, String path) {
        Object value = claims.getClaims();
        for (String part : path.split("\\.")) {
            if (!(value instanceof Map<?, ?> map)) {
                return null;
            }
            value = map.get(part);
        }
        return value;
    }

    private static String text(Object value) {
        return value instanceof String s ? s : null;
    }

    /** Roles from a list claim or a space-separated string claim (as {@code scope} is). */
    static Set<String> roles(JWTClaimsSet claims, String path) {
        Object value = claim(claims, path);
        Set<String> roles = new HashSet<>();
        if (value instanceof List<?> list) {
            list.stream().filter(String.class::isInstance).map(String.class::cast).forEach(roles::add);
        } else if (value instanceof String s) {
            roles.addAll(List.of(s.trim().split("\\s+")));
        }
        return roles;
    }


}
