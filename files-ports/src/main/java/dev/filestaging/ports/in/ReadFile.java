package dev.filestaging.ports.in;

import dev.filestaging.ports.ByteRange;
import dev.filestaging.ports.Principal;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.StoredContent;
import dev.filestaging.ports.StoredFile;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** Use case: read a staged file's bytes by name, as ingestion jobs do. */
public interface ReadFile {

    /**
     * Opens {@code range} of the file; the metadata and bytes are of one version. The caller closes the answer.
     *
     * @param name as the client sent it; a name that breaks the naming rules is simply not found
     * @throws AccessDeniedException the principal may not see that area
     */
    Optional<StoredContent> open(Principal principal, StagingArea area, String name, ByteRange range);

    /** A URL of the storage itself that reads one version of a file, for a client to fetch without this service. */
    record DirectRead(StoredFile file, URI url) {}

    /**
     * Where the client may read the file straight from the storage, when the store offers direct reads (and is
     * configured to); empty otherwise or when there is no such file. Costs no storage call when the store offers none.
     *
     * @param responseHeaders the headers the storage should answer with, given the version found
     * @throws AccessDeniedException the principal may not see that area
     */
    Optional<DirectRead> direct(Principal principal, StagingArea area, String name,
                                Function<StoredFile, Map<String, String>> responseHeaders);
}
