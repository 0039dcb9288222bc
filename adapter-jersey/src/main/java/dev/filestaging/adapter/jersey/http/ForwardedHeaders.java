package dev.filestaging.adapter.jersey.http;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.UriBuilder;
import java.net.URI;

/**
 * The address the client used, from {@code X-Forwarded-Proto} and {@code X-Forwarded-Host}, for the addresses the API
 * builds from the request (signed links, problem types) when {@code FILES_PUBLIC_URL} is not set. Only headers of
 * trusted proxies get here: {@link ContinueGate} removes them from every other peer's requests.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION - 200)
public final class ForwardedHeaders implements ContainerRequestFilter {
    private static final String HOST = "[A-Za-z0-9.-]+(:\\d{1,5})?|\\[[0-9A-Fa-f:.]+\\](:\\d{1,5})?";

    @Override
    public void filter(ContainerRequestContext request) {
        String proto = first(request.getHeaderString("X-Forwarded-Proto"));
        String host = first(request.getHeaderString("X-Forwarded-Host"));
        boolean useProto = proto != null && (proto.equalsIgnoreCase("http") || proto.equalsIgnoreCase("https"));
        boolean useHost = host != null && host.matches(HOST);
        if (!useProto && !useHost) {
            return;
        }
        UriBuilder base = request.getUriInfo().getBaseUriBuilder();
        UriBuilder uri = request.getUriInfo().getRequestUriBuilder();
        if (useProto) {
            base.scheme(proto.toLowerCase(java.util.Locale.ROOT));
            uri.scheme(proto.toLowerCase(java.util.Locale.ROOT));
        }
        if (useHost) {
            URI authority = URI.create("//" + host);
            for (UriBuilder builder : new UriBuilder[] {base, uri}) {
                builder.host(authority.getHost()).port(authority.getPort());
            }
        } else if (useProto) {
            // a changed scheme with the old port would name the proxy's plain port under https: keep the default
            base.port(-1);
            uri.port(-1);
        }
        request.setRequestUri(base.build(), uri.build());
    }

    /** The first of a comma-separated list (the proxy nearest the client writes the first). */
    private static String first(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        return header.split(",")[0].strip();
    }
}
