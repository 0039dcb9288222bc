package dev.filestaging.ports.in;

import dev.filestaging.ports.StoredFile;
import java.util.function.Function;

/** What became of a delete. */
public sealed interface DeleteOutcome {

    /** Exhaustive handling: a new outcome is a compile error where outcomes are handled. */
    <R> R fold(Function<Deleted, R> deleted, Function<NotFound, R> notFound);

    record Deleted(StoredFile file) implements DeleteOutcome {
        @Override
        public <R> R fold(Function<Deleted, R> deleted, Function<NotFound, R> notFound) {
            return deleted.apply(this);
        }
    }

    record NotFound(String name) implements DeleteOutcome {
        @Override
        public <R> R fold(Function<Deleted, R> deleted, Function<NotFound, R> notFound) {
            return notFound.apply(this);
        }
    }
}
