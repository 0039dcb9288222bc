package dev.filestaging.adapter.oidc;

import java.net.URI;
import java.util.Objects;

/**
 * An OpenID Connect provider whose access tokens are accepted (Keycloak, Auth0, Okta, Entra ID...).
 *
 * @param issuer             the {@code iss} its tokens carry; discovery is at {@code {issuer}/.well-known/openid-configuration}
 * @param audience           the {@code aud} a token must carry to be meant for this API
 * @param organizationClaim  claim holding the organization (dots for nesting, e.g. {@code tenant.id}); null when
 *                           {@code organization} is fixed
 * @param organization       the organization of every token of this issuer, or null to read {@code organizationClaim}
 * @param rolesClaim         claim holding the roles: a list or a space-separated string (e.g. {@code realm_access.roles})
 */
public record ExternalIssuer(URI issuer, String audience, String organizationClaim, String organization,
                             String rolesClaim) {
    public ExternalIssuer {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(audience, "audience");
        Objects.requireNonNull(rolesClaim, "rolesClaim");
        if ((organizationClaim == null) == (organization == null)) {
            throw new IllegalArgumentException("an issuer needs either an organization claim or a fixed organization");
        }
    }
}
