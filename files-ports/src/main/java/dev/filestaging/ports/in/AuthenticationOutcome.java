package dev.filestaging.ports.in;

import dev.filestaging.ports.Principal;

/** Who the caller is, or why we do not know. */
public sealed interface AuthenticationOutcome {
    record Authenticated(Principal principal) implements AuthenticationOutcome {}

    /** {@code reason} is safe to show to the caller: it never contains the credentials. */
    record NotAuthenticated(String reason) implements AuthenticationOutcome {}

    /**
     * A bearer token (a JWT) that is not accepted: expired, forged, for another audience... Answered with
     * {@code WWW-Authenticate: Bearer error="invalid_token"}, so OAuth clients know to fetch a new token.
     * {@code reason} is safe to show: it never contains the token.
     */
    record InvalidToken(String reason) implements AuthenticationOutcome {}

    /** Credentials of a kind this authenticator does not handle; the next one decides. */
    record NotRecognised() implements AuthenticationOutcome {}
}
