package dev.filestaging.ports.in;

import dev.filestaging.ports.Principal;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.StoredFile;
import java.io.InputStream;
import java.util.Optional;

/** Use case: read a staged file's bytes by name, as ingestion jobs do. */
public interface ReadFile {

    /** An open file; the caller closes {@code content}. */
    record StagedContent(StoredFile file, InputStream content) {}

    /** @throws AccessDeniedException the principal may not see that area */
    Optional<StagedContent> open(Principal principal, StagingArea area, String name);
}
