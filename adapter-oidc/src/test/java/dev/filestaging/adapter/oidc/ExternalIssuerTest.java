package dev.filestaging.adapter.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.filestaging.ports.fixtures.InMemorySmallRecordStore;
import dev.filestaging.ports.out.TokenVerifier.TokenCheck;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tokens of an independent OpenID Connect server (NAV's mock-oauth2-server, in-process over HTTP): keys found by
 * discovery, audience and issuer checked, organization and roles read from configurable claims, like Keycloak's.
 */
class ExternalIssuerTest {

    private static MockOAuth2Server idp;
    private static JwtVerifier verifier;
    private static String issuer;

    @BeforeAll
    static void start() {
        idp = new MockOAuth2Server();
        idp.start();
        issuer = idp.issuerUrl("keycloak").toString();
        JwtSigner builtIn = new JwtSigner(new InMemorySmallRecordStore(), Clock.systemUTC());
        verifier = new JwtVerifier(builtIn, "http://127.0.0.1:8080", List.of(
                new ExternalIssuer(URI.create(issuer), "files-api", "org", null, "realm_access.roles"),
                new ExternalIssuer(URI.create(idp.issuerUrl("single-tenant").toString()), "files-api", null, "acme",
                        "scope")), new Discovery());
    }

    @AfterAll
    static void stop() {
        idp.shutdown();
    }

    private static String token(String issuerId, String audience, Map<String, Object> claims, long lifetimeSeconds) {
        return idp.issueToken(issuerId, "service-account-7", audience, claims, lifetimeSeconds).serialize();
    }

    @Test
    void its_tokens_are_accepted_with_organization_and_roles_from_the_configured_claims() {
        String token = token("keycloak", "files-api",
                Map.of("org", "globex", "realm_access", Map.of("roles", List.of("ReadFiles", "offline_access"))), 300);

        assertThat(verifier.verify(token))
                .isEqualTo(new TokenCheck.Valid(issuer, "service-account-7", "globex", Set.of("ReadFiles", "offline_access")));
    }

    @Test
    void a_single_tenant_issuer_gives_every_token_its_fixed_organization() {
        String token = token("single-tenant", "files-api", Map.of("scope", "ManageFiles openid", "org", "evil"), 300);

        TokenCheck check = verifier.verify(token);

        assertThat(check).isInstanceOf(TokenCheck.Valid.class);
        assertThat(((TokenCheck.Valid) check).organization()).isEqualTo("acme");
        assertThat(((TokenCheck.Valid) check).roles()).contains("ManageFiles");
    }

    @Test
    void wrong_audience_unknown_issuer_expired_and_tampered_tokens_are_refused() {
        Map<String, Object> claims = Map.of("org", "globex", "realm_access", Map.of("roles", List.of("ManageFiles")));
        assertThat(verifier.verify(token("keycloak", "another-api", claims, 300))).isInstanceOf(TokenCheck.Rejected.class);
        assertThat(verifier.verify(token("not-configured", "files-api", claims, 300)))
                .isEqualTo(new TokenCheck.Rejected("its issuer is not trusted here"));
        assertThat(verifier.verify(token("keycloak", "files-api", claims, -120))).isInstanceOf(TokenCheck.Expired.class);

        String valid = token("keycloak", "files-api", claims, 300);
        String[] parts = valid.split("\\.");
        String payload = new String(java.util.Base64.getUrlDecoder().decode(parts[1]), java.nio.charset.StandardCharsets.UTF_8)
                .replace("globex", "acme__");
        String tampered = parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "." + parts[2];
        assertThat(verifier.verify(tampered)).isInstanceOf(TokenCheck.Rejected.class);
    }
}
