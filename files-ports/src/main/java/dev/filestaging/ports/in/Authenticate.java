package dev.filestaging.ports.in;

/**
 * Use case: turn credentials into a principal. Implementations are tried by the HTTP adapter in order; API keys are
 * the first, OAuth/OIDC token verifiers can be added as further implementations.
 */
public interface Authenticate {
    /** Never throws for bad credentials: those are a {@link AuthenticationOutcome.NotAuthenticated}. */
    AuthenticationOutcome authenticate(Credentials credentials);
}
