package dev.filestaging.app;

import dev.filestaging.adapter.oidc.Discovery;
import dev.filestaging.adapter.oidc.JwtSigner;
import dev.filestaging.adapter.oidc.JwtVerifier;
import dev.filestaging.app.config.OAuthSettings;
import dev.filestaging.domain.credentials.BearerTokens;
import dev.filestaging.domain.credentials.OAuthClients;
import dev.filestaging.domain.credentials.TokenIssuance;
import dev.filestaging.ports.out.SmallRecordStore;
import java.time.Clock;

/** The OAuth pieces wired together: the built-in issuer, its clients and keys, and the bearer-token check. */
record OAuth(OAuthClients clients, JwtSigner signer, TokenIssuance issuance, BearerTokens bearerTokens) {

    static OAuth wire(OAuthSettings settings, SmallRecordStore records, Clock clock) {
        OAuthClients clients = new OAuthClients(records, clock);
        for (OAuthSettings.DeclaredClient declared : settings.declaredClients()) {
            clients.declare(declared.clientId(), declared.secret(), declared.organization(), declared.roles());
        }
        JwtSigner signer = new JwtSigner(records, clock);
        TokenIssuance issuance = new TokenIssuance(clients, signer, clock, settings.tokenLifetime(),
                settings.publicBaseUrl());
        JwtVerifier verifier = new JwtVerifier(signer, settings.publicBaseUrl(), settings.externalIssuers(),
                new Discovery(), settings.clockSkew());
        return new OAuth(clients, signer, issuance, new BearerTokens(verifier));
    }
}
