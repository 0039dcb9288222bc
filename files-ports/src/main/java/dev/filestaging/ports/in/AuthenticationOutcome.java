package dev.filestaging.ports.in;

import dev.filestaging.ports.Principal;

/** Who the caller is, or why we do not know. */
public sealed interface AuthenticationOutcome {
    record Authenticated(Principal principal) implements AuthenticationOutcome {}

    /** {@code reason} is safe to show to the caller: it never contains the credentials. */
    record NotAuthenticated(String reason) implements AuthenticationOutcome {}
}
