package dev.filestaging.ports.in;

import dev.filestaging.ports.Principal;
import dev.filestaging.ports.StagingArea;

/** Use case: delete a file by name; its name and its space are free as soon as this returns. */
public interface DeleteFile {
    /** @throws AccessDeniedException the principal may not manage files of that area */
    DeleteOutcome delete(Principal principal, StagingArea area, String name);

    /**
     * Deletes the file only if it is still the version {@code id} (a file replaced since the caller looked is kept);
     * {@link DeleteOutcome.NotFound} when there is no such file or another version.
     *
     * @throws AccessDeniedException the principal may not manage files of that area
     */
    DeleteOutcome delete(Principal principal, StagingArea area, String name, java.util.UUID id);
}
