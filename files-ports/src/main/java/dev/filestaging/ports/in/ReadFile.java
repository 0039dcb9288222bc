package dev.filestaging.ports.in;

import dev.filestaging.ports.ByteRange;
import dev.filestaging.ports.Principal;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.StoredContent;
import java.util.Optional;

/** Use case: read a staged file's bytes by name, as ingestion jobs do. */
public interface ReadFile {

    /**
     * Opens {@code range} of the file; the metadata and bytes are of one version. The caller closes the answer.
     *
     * @param name as the client sent it; a name that breaks the naming rules is simply not found
     * @throws AccessDeniedException the principal may not see that area
     */
    Optional<StoredContent> open(Principal principal, StagingArea area, String name, ByteRange range);
}
