package dev.filestaging.ports.out.catalog;

import dev.filestaging.ports.StoredFile;
import dev.filestaging.ports.events.Change;
import java.util.Optional;

/** What committing a file to the catalog came to. */
public sealed interface FileCommit {

    /** The file is visible; {@code change} is the change-log entry recorded in the same step. */
    record Committed(CatalogFile file, Change change) implements FileCommit {}

    /**
     * The name is taken: by a committed file ({@code file} present) or by another open upload (empty). Nothing changed.
     */
    record NameTaken(Optional<StoredFile> file) implements FileCommit {}

    /** The area's usage with the file would pass the limit the caller gave. Nothing changed. */
    record OverLimit(AreaUsage usage) implements FileCommit {}

    /** The lease the commit was made under is no longer held (it lapsed and another writer took over). */
    record LeaseLost() implements FileCommit {}
}
