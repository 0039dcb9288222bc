package dev.filestaging.domain.upload;

import dev.filestaging.ports.Principal;
import dev.filestaging.ports.Role;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.in.AccessDeniedException;
import java.util.Set;

/** Who may touch which staging area: a principal of the area's organization with the needed role. */
public final class AccessPolicy {

    /** Upload and delete: {@code ManageFiles}. */
    public void requireManaging(Principal principal, StagingArea area) {
        require(principal, area, Role.MANAGE_FILES, Set.of(Role.MANAGE_FILES));
    }

    /** List, metadata and content: {@code ManageFiles} or the read-only {@code ReadFiles}. */
    public void requireReading(Principal principal, StagingArea area) {
        require(principal, area, Role.READ_FILES, Set.of(Role.MANAGE_FILES, Role.READ_FILES));
    }

    private void require(Principal principal, StagingArea area, Role named, Set<Role> sufficient) {
        if (!principal.organization().equals(area.organization())) {
            throw new AccessDeniedException(named, "this staging area belongs to another organization");
        }
        if (sufficient.stream().noneMatch(principal::has)) {
            throw new AccessDeniedException(named, "the credentials lack the " + named.wireName() + " role");
        }
    }
}
