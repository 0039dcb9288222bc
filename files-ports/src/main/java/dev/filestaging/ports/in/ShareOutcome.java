package dev.filestaging.ports.in;

import dev.filestaging.ports.StoredFile;
import java.time.Duration;
import java.time.Instant;

/** What asking for a signed link came to. */
public sealed interface ShareOutcome {

    /** @param token what goes into the link's URL; it reads {@code file}'s version until {@code expiresAt} */
    record Shared(String token, Instant expiresAt, StoredFile file) implements ShareOutcome {}

    record NotFound(String name) implements ShareOutcome {}

    /** The lifetime asked for is not positive or longer than the configured maximum. */
    record LifetimeOutOfRange(Duration asked, Duration maximum) implements ShareOutcome {}
}
