package dev.filestaging.ports.in;

/**
 * Use case: turn credentials into a principal. The HTTP adapter tries implementations in order until one accepts the
 * credentials (API keys, OAuth/OIDC tokens); one that does not handle a kind of credentials says
 * {@link AuthenticationOutcome.NotRecognised}.
 */
public interface Authenticate {
    /** Never throws for bad credentials: those are a {@link AuthenticationOutcome.NotAuthenticated}. */
    AuthenticationOutcome authenticate(Credentials credentials);
}
