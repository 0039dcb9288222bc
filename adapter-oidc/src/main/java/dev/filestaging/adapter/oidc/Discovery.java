package dev.filestaging.adapter.oidc;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jose.util.Resource;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.text.ParseException;
import java.util.Map;

/**
 * OpenID Connect discovery: an issuer's {@code jwks_uri} from {@code {issuer}/.well-known/openid-configuration}, and a
 * key source on it that caches keys and refetches them when a token names a key it has not seen (rate-limited by
 * Nimbus, so forged key ids cannot make us hammer the provider).
 */
public final class Discovery {

    private static final int TIMEOUT_MILLIS = 5_000;
    private static final int SIZE_LIMIT = 256 * 1024;

    private final DefaultResourceRetriever retriever =
            new DefaultResourceRetriever(TIMEOUT_MILLIS, TIMEOUT_MILLIS, SIZE_LIMIT);

    JWKSource<SecurityContext> keysOf(URI issuer) throws KeySourceException {
        String base = issuer.toString().endsWith("/") ? issuer.toString() : issuer + "/";
        try {
            Resource document = retriever.retrieveResource(new URL(base + ".well-known/openid-configuration"));
            Map<String, Object> metadata = JSONObjectUtils.parse(document.getContent());
            if (!issuer.toString().equals(metadata.get("issuer"))) {
                throw new KeySourceException("discovery of " + issuer + " names another issuer: " + metadata.get("issuer"));
            }
            String jwksUri = JSONObjectUtils.getString(metadata, "jwks_uri");
            return JWKSourceBuilder.create(new URL(jwksUri), retriever).build();
        } catch (IOException | ParseException e) {
            throw new KeySourceException("discovery of " + issuer + " failed: " + e.getMessage(), e);
        }
    }
}
