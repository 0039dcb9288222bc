package dev.filestaging.ports.in;

import java.util.function.Function;

/** What became of beginning an upload. */
public sealed interface BeginOutcome {

    <R> R fold(Function<Upload, R> begun, Function<UploadOutcome.Refusal, R> refused);

    /** The caller owns {@code upload} and must close it. */
    record Begun(Upload upload) implements BeginOutcome {
        @Override
        public <R> R fold(Function<Upload, R> begun, Function<UploadOutcome.Refusal, R> refused) {
            return begun.apply(upload);
        }
    }

    /** Refused before any byte: an invalid name or a name already taken. */
    record Refused(UploadOutcome.Refusal refusal) implements BeginOutcome {
        @Override
        public <R> R fold(Function<Upload, R> begun, Function<UploadOutcome.Refusal, R> refused) {
            return refused.apply(refusal);
        }
    }
}
