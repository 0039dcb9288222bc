package dev.filestaging.ports.in;

import dev.filestaging.ports.StoredFile;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;

/** What asking for a signed link came to. */
public sealed interface ShareOutcome {

    /** Exhaustive handling: a new outcome is a compile error where outcomes are handled. */
    <R> R fold(Function<Shared, R> shared, Function<NotFound, R> notFound,
               Function<LifetimeOutOfRange, R> lifetimeOutOfRange);

    /** @param token what goes into the link's URL; it reads {@code file}'s version until {@code expiresAt} */
    record Shared(String token, Instant expiresAt, StoredFile file) implements ShareOutcome {
        @Override
        public <R> R fold(Function<Shared, R> shared, Function<NotFound, R> notFound,
                          Function<LifetimeOutOfRange, R> lifetimeOutOfRange) {
            return shared.apply(this);
        }
    }

    record NotFound(String name) implements ShareOutcome {
        @Override
        public <R> R fold(Function<Shared, R> shared, Function<NotFound, R> notFound,
                          Function<LifetimeOutOfRange, R> lifetimeOutOfRange) {
            return notFound.apply(this);
        }
    }

    /** The lifetime asked for is not positive or longer than the configured maximum. */
    record LifetimeOutOfRange(Duration asked, Duration maximum) implements ShareOutcome {
        @Override
        public <R> R fold(Function<Shared, R> shared, Function<NotFound, R> notFound,
                          Function<LifetimeOutOfRange, R> lifetimeOutOfRange) {
            return lifetimeOutOfRange.apply(this);
        }
    }
}
