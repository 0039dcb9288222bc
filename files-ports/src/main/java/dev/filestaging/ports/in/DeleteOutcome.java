package dev.filestaging.ports.in;

import dev.filestaging.ports.StoredFile;

/** What became of a delete. */
public sealed interface DeleteOutcome {
    record Deleted(StoredFile file) implements DeleteOutcome {}

    record NotFound(String name) implements DeleteOutcome {}
}
