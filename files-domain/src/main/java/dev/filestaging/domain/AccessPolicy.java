package dev.filestaging.domain;

import dev.filestaging.ports.Principal;
import dev.filestaging.ports.Role;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.in.AccessDeniedException;

/** Who may touch which staging area: a principal of the area's organization with the needed role. */
final class AccessPolicy {

    void require(Principal principal, StagingArea area, Role role) {
        if (!principal.organization().equals(area.organization())) {
            throw new AccessDeniedException(role, "this staging area belongs to another organization");
        }
        if (!principal.has(role)) {
            throw new AccessDeniedException(role, "the credentials lack the " + role.wireName() + " role");
        }
    }
}
