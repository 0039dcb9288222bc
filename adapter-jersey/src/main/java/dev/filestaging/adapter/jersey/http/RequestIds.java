package dev.filestaging.adapter.jersey.http;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Gives every request an id: the client's {@code X-Request-Id} when it is a plain token (so a proxy's or a caller's
 * id carries through), a new UUID otherwise. The id is echoed on the answer, named in problem documents
 * ({@code instance}) and in every log line written while the request is served ({@link #current()}), so one upload
 * can be followed from the client through the logs.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION - 100) // first: a request refused by authentication has an id too
public final class RequestIds implements ContainerRequestFilter, ContainerResponseFilter {
    public static final String HEADER = "X-Request-Id";
    static final String PROPERTY = "dev.filestaging.requestId";
    /** What a client's id may be: nothing that could forge a log line or break a header. */
    private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    /**
     * The id of the request this thread serves. Jersey serves a request on one thread from the first filter to the
     * last byte of the answer, and every request sets it before anything logs.
     */
    private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

    /** The id of the request this thread is serving, if any: for log lines. */
    public static Optional<String> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String offered = request.getHeaderString(HEADER);
        String id = offered != null && ACCEPTED.matcher(offered).matches() ? offered : UUID.randomUUID().toString();
        request.setProperty(PROPERTY, id);
        request.setProperty(CompletedRequests.STARTED, System.nanoTime());
        CURRENT.set(id);
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        idOf(request).ifPresent(id -> response.getHeaders().putSingle(HEADER, id));
    }

    static Optional<String> idOf(ContainerRequestContext request) {
        return Optional.ofNullable((String) request.getProperty(PROPERTY));
    }

    /** Runs {@code work} with {@code id} as the current request's, for answers given outside Jersey. */
    static void during(String id, Runnable work) {
        String before = CURRENT.get();
        CURRENT.set(id);
        try {
            work.run();
        } finally {
            if (before == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(before);
            }
        }
    }

    /** Forgets the id once the answer is written, so a thread between requests logs none. */
    static void finished() {
        CURRENT.remove();
    }
}
