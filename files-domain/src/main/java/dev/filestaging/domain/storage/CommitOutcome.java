package dev.filestaging.domain.storage;

import dev.filestaging.ports.StoredFile;

/** What became of a commit. */
public sealed interface CommitOutcome {
    record Committed(StoredFile file) implements CommitOutcome {}

    /**
     * Another file holds the key, or a resumable upload in progress has reserved it ({@code existing} is then null);
     * it was left untouched and this pending file was discarded.
     */
    record AlreadyExists(StoredFile existing) implements CommitOutcome {}

    /**
     * The area's quota, which the store checks at the commit (one that is shared by several processes), would be
     * exceeded: nothing changed and this pending file was discarded.
     */
    record OverQuota() implements CommitOutcome {}
}
