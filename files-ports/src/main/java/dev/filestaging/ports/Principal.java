package dev.filestaging.ports;

import java.util.Objects;
import java.util.Set;

/**
 * Who is calling: an authenticated service account of one organization with its roles.
 *
 * @param serviceAccountId recorded as {@code uploadedByUserId} on the files it uploads
 */
public record Principal(OrganizationId organization, String serviceAccountId, Set<Role> roles) {
    public Principal {
        Objects.requireNonNull(organization, "organization");
        Objects.requireNonNull(serviceAccountId, "serviceAccountId");
        roles = Set.copyOf(roles);
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }
}
