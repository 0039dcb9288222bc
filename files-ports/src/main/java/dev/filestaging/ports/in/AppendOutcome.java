package dev.filestaging.ports.in;

import java.util.function.Function;

/** What became of appending content to an {@link Upload}. */
public sealed interface AppendOutcome {

    <R> R fold(Function<Appended, R> appended, Function<UploadOutcome.Refusal, R> refused);

    /** @param receivedBytes the upload's size so far */
    record Appended(long receivedBytes) implements AppendOutcome {
        @Override
        public <R> R fold(Function<Appended, R> appended, Function<UploadOutcome.Refusal, R> refused) {
            return appended.apply(this);
        }
    }

    /** The upload is over: nothing of it is kept. */
    record Refused(UploadOutcome.Refusal refusal) implements AppendOutcome {
        @Override
        public <R> R fold(Function<Appended, R> appended, Function<UploadOutcome.Refusal, R> refused) {
            return refused.apply(refusal);
        }
    }
}
