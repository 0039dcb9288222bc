package dev.filestaging.ports.in;

import dev.filestaging.ports.SpaceUsage;
import dev.filestaging.ports.StoredFile;
import java.util.List;
import java.util.Optional;

/**
 * Files of one staging area, ordered by name, and the area's space figures (always of the whole area).
 *
 * @param continueAfter for a page that may not be the last, the name to pass as {@link ListQuery#after} for the next
 */
public record FileListing(List<StoredFile> files, SpaceUsage space, Optional<String> continueAfter) {
    public FileListing {
        files = List.copyOf(files);
    }

    /** A complete listing. */
    public FileListing(List<StoredFile> files, SpaceUsage space) {
        this(files, space, Optional.empty());
    }
}
