package dev.filestaging.ports.in;

import dev.filestaging.ports.Principal;
import dev.filestaging.ports.StagingArea;

/** Use case: list a staging area. */
public interface ListFiles {
    /**
     * Every file, as Polaris lists them.
     *
     * @throws AccessDeniedException the principal may not see that area
     */
    FileListing list(Principal principal, StagingArea area);

    /**
     * One page. Walking the pages with {@link FileListing#continueAfter} lists every file that exists throughout the
     * walk exactly once, whatever is uploaded or deleted meanwhile.
     *
     * @throws AccessDeniedException the principal may not see that area
     */
    FileListing list(Principal principal, StagingArea area, ListQuery query);
}
