package dev.filestaging.ports.out;

import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.Role;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * What an access token of the built-in issuer says: who ({@code subject}, the service account), of which
 * organization, with which roles, for how long.
 */
public record AccessTokenClaims(
        String issuer, String subject, String clientId, OrganizationId organization, Set<Role> roles,
        Instant issuedAt, Instant expiresAt) {
    public AccessTokenClaims {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(organization, "organization");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        roles = Set.copyOf(roles);
    }
}
