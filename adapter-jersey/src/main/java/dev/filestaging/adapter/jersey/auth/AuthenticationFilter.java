package dev.filestaging.adapter.jersey.auth;

import dev.filestaging.adapter.jersey.http.CompletedRequests;
import dev.filestaging.adapter.jersey.http.TusProtocol;
import dev.filestaging.adapter.jersey.problems.ApiProblem;
import dev.filestaging.adapter.jersey.problems.Problems;
import dev.filestaging.ports.Principal;
import dev.filestaging.ports.in.Authenticate;
import dev.filestaging.ports.in.AuthenticationOutcome;
import dev.filestaging.ports.in.AuthenticationOutcome.Authenticated;
import dev.filestaging.ports.in.Credentials;
import dev.filestaging.ports.in.ResumeUploads;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.List;

/**
 * Authenticates every request to the API ({@code /v1}, signed links aside) before any resource is even matched, and
 * so before any request body is read (an upload's {@code 100 Continue} is only sent once its resource starts reading).
 * Unauthenticated callers learn nothing about which API addresses exist.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION)
public final class AuthenticationFilter implements ContainerRequestFilter {
    private final List<Authenticate> authenticators;
    private final CredentialsParser parser = new CredentialsParser();

    private final ResumeUploads resumable;

    /** @param resumable resumable uploads, whose discovery is answered without credentials */
    public AuthenticationFilter(List<Authenticate> authenticators, ResumeUploads resumable) {
        this.authenticators = authenticators;
        this.resumable = resumable;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (path.startsWith("v1/links/") || outsideTheApi(path)) {
            // signed links, whose token is their credential, and everything outside /v1: the health check, the OAuth
            // endpoints that hand out and describe credentials, the API's documentation, the console's page and
            // scripts, and addresses nothing answers (404, rather than a request for credentials that changes nothing)
            return;
        }
        if ("OPTIONS".equals(request.getMethod()) && TusProtocol.isUploadsPath(path)) {
            // tus clients discover the server without credentials; the answer tells nothing about any upload
            request.abortWith(TusProtocol.discovery(resumable.maxBytes()));
            return;
        }
        Credentials credentials = parser.parse(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        Refusal refusal = new Refusal(Problems.unauthorized("the credentials are not valid"), 0);
        for (Authenticate authenticator : authenticators) {
            AuthenticationOutcome outcome = authenticator.authenticate(credentials);
            Principal principal = outcome.fold(Authenticated::principal, refused -> null, invalid -> null,
                    notRecognised -> null);
            if (principal != null) {
                request.setProperty(CompletedRequests.PRINCIPAL, principal);
                return;
            }
            // A token's own verdict (expired, forged...) says more than "not an API key", which says more than nothing.
            Refusal verdict = outcome.fold(authenticated -> null,
                    refused -> new Refusal(Problems.unauthorized(refused.reason()), 1),
                    invalid -> new Refusal(Problems.invalidToken(invalid.reason()), 2),
                    notRecognised -> null);
            if (verdict != null && verdict.weight() >= refusal.weight()) {
                refusal = verdict;
            }
        }
        throw refusal.problem();
    }

    /**
     * True when no resource that needs credentials can answer the path: its first segment (matrix parameters aside) is
     * not {@code v1}, and it has no dot segment or backslash that a normalising hop could turn into one under
     * {@code v1}. The path is decoded, so {@code %2F} and {@code %2E} are seen for what they are.
     */
    static boolean outsideTheApi(String path) {
        if (path.contains("\\")) {
            return false;
        }
        String[] segments = path.split("/");
        for (int i = 0; i < segments.length; i++) {
            int matrix = segments[i].indexOf(';');
            String name = matrix >= 0 ? segments[i].substring(0, matrix) : segments[i];
            if (name.equals(".") || name.equals("..") || (i == 0 && name.equalsIgnoreCase("v1"))) {
                return false;
            }
        }
        return true;
    }

    private record Refusal(ApiProblem problem, int weight) {}

    public static Principal principalOf(ContainerRequestContext request) {
        Object principal = request.getProperty(CompletedRequests.PRINCIPAL);
        if (principal instanceof Principal p) {
            return p;
        }
        throw new IllegalStateException("no principal: the authentication filter did not run");
    }
}
