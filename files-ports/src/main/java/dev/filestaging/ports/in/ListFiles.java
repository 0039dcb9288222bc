package dev.filestaging.ports.in;

import dev.filestaging.ports.Principal;
import dev.filestaging.ports.StagingArea;

/** Use case: list a staging area. */
public interface ListFiles {
    /** @throws AccessDeniedException the principal may not see that area */
    FileListing list(Principal principal, StagingArea area);
}
