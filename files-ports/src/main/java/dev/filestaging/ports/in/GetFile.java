package dev.filestaging.ports.in;

import dev.filestaging.ports.Principal;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.StoredFile;
import java.util.Optional;

/** Use case: one file's metadata by name. */
public interface GetFile {
    /**
     * @param name as the client sent it; a name that breaks the naming rules is simply not found
     * @throws AccessDeniedException the principal may not see that area
     */
    Optional<StoredFile> get(Principal principal, StagingArea area, String name);
}
