package dev.filestaging.adapter.jersey.http;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import java.util.Map;
import org.glassfish.grizzly.http.util.FastHttpDateFormat;

/**
 * Headers every answer carries: nothing is sniffed as something else, and nothing is cached unless the resource says
 * otherwise (file content may be kept and revalidated with its ETag). An answer to a
 * request whose body was withheld (it waits for a {@code 100 Continue} it will never get) also closes the connection,
 * so a client does not wait to send a body nobody will read.
 */
public final class SecurityHeadersFilter implements ContainerResponseFilter {
    static final Map<String, String> HEADERS = Map.of("X-Content-Type-Options", "nosniff", "Cache-Control", "no-store");

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        HEADERS.forEach((name, value) -> {
            if (!response.getHeaders().containsKey(name)) {
                response.getHeaders().putSingle(name, value);
            }
        });
        response.getHeaders().putSingle("Date", FastHttpDateFormat.getCurrentDate()); // RFC 9110 §6.6.1: an origin MUST
        if (ContinueGate.bodyWithheld(request)) {
            response.getHeaders().putSingle("Connection", "close");
        }
    }
}
