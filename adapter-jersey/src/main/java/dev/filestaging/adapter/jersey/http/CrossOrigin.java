package dev.filestaging.adapter.jersey.http;

import dev.filestaging.adapter.jersey.problems.Problems;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Cross-origin resource sharing (the Fetch standard's CORS protocol) for the origins of {@code FILES_HTTP_CORS_ORIGINS}.
 * A preflight ({@code OPTIONS} with {@code Access-Control-Request-Method}) carries no credentials by design, so it is
 * answered here, before authentication: 204 with what may be sent for a listed origin, 403 for any other. Answers to
 * a listed origin's requests name it in {@code Access-Control-Allow-Origin} and expose the headers clients read
 * ({@code Location} and the tus headers among them). Cookies are never involved: the API reads only
 * {@code Authorization}, so {@code Access-Control-Allow-Credentials} is never sent.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION - 100)
public final class CrossOrigin implements ContainerRequestFilter, ContainerResponseFilter {
    static final String ANY = "*";
    static final String ALLOWED_METHODS = "GET, HEAD, POST, PATCH, DELETE, OPTIONS";
    static final String ALLOWED_HEADERS = String.join(", ", "Authorization", "Content-Type", "Content-MD5",
            "If-Match", "If-None-Match", "If-Range", "Range", "X-Request-Id", "X-HTTP-Method-Override",
            "Tus-Resumable", "Upload-Length", "Upload-Defer-Length", "Upload-Offset", "Upload-Metadata",
            "Upload-Checksum", "Upload-Concat");
    static final String EXPOSED_HEADERS = String.join(", ", "Location", "ETag", "Link", "Retry-After", "X-Request-Id",
            "Content-Range", "Content-Disposition", "Accept-Ranges", "Tus-Resumable", "Tus-Version",
            "Tus-Extension", "Tus-Max-Size", "Tus-Checksum-Algorithm", "Upload-Offset", "Upload-Length",
            "Upload-Expires", "Upload-Metadata", "Upload-Defer-Length", "Staged-File");
    /** Browsers keep a preflight's answer at most this long (Chromium caps it at two hours). */
    static final String MAX_AGE_SECONDS = "600";
    private static final String ORIGIN = "https?://([A-Za-z0-9-]+\\.)*[A-Za-z0-9-]+(:\\d{1,5})?|https?://\\[[0-9A-Fa-f:.]+\\](:\\d{1,5})?";

    private final boolean any;
    private final Set<String> origins;

    /** @param origins as {@link HttpSettings#corsOrigins} has them, validated */
    public CrossOrigin(List<String> origins) {
        this.any = origins.contains(ANY);
        this.origins = origins.stream().map(origin -> origin.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }

    /** Fails on anything that is not {@code *} or a bare origin: a scheme, a host and perhaps a port, no path. */
    static void validate(List<String> origins) {
        for (String origin : origins) {
            if (!origin.equals(ANY) && !origin.matches(ORIGIN)) {
                throw new IllegalArgumentException("'" + origin + "' is not an origin such as https://app.example.com"
                        + " (scheme, host and port only, no path or trailing slash) or *");
            }
        }
    }

    private boolean allows(String origin) {
        return origin != null && (any || origins.contains(origin.toLowerCase(Locale.ROOT)));
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String origin = request.getHeaderString("Origin");
        if (origin == null || !"OPTIONS".equals(request.getMethod())
                || request.getHeaderString("Access-Control-Request-Method") == null) {
            return;
        }
        if (!allows(origin)) {
            throw Problems.originNotAllowed(origin);
        }
        request.abortWith(Response.noContent()
                .header("Access-Control-Allow-Methods", ALLOWED_METHODS)
                .header("Access-Control-Allow-Headers", ALLOWED_HEADERS)
                .header("Access-Control-Max-Age", MAX_AGE_SECONDS)
                .build());
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (origins.isEmpty()) {
            return;
        }
        String origin = request.getHeaderString("Origin");
        // the answer depends on Origin whenever some origin is allowed, so caches must keep them apart
        response.getHeaders().add("Vary", "Origin");
        if (!allows(origin)) {
            return;
        }
        response.getHeaders().putSingle("Access-Control-Allow-Origin", origin);
        response.getHeaders().putSingle("Access-Control-Expose-Headers", EXPOSED_HEADERS);
    }
}
