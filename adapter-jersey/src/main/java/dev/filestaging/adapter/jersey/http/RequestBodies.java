package dev.filestaging.adapter.jersey.http;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import java.io.InputStream;
import java.lang.reflect.Method;

/**
 * The one way a request body is read, whichever resource reads it (an upload's content, a link request's JSON, the
 * token endpoint's form): once the request is authenticated and matched, its entity stream is replaced by one that
 * <ul>
 *   <li>sends the {@code 100 Continue} a client may wait for at the first read, so a request refused by any check
 *       that needs no body never has its body sent;</li>
 *   <li>counts bytes on the wire and fails past the limit ({@link UploadBody} methods: the upload limit; any other
 *       body: {@link #SMALL_BODY_BYTES}), whether or not a length was declared;</li>
 *   <li>gives up on a client sending slower than the minimum rate, when one is set.</li>
 * </ul>
 * Its failures are translated by {@link ProblemMapper#bodyFailure}.
 */
@Priority(Priorities.USER)
public final class RequestBodies implements ContainerRequestFilter {

    /** Forms and JSON objects are far smaller; a body larger is not something this API reads. */
    static final long SMALL_BODY_BYTES = 64 * 1024;

    private final HttpSettings settings;
    private final BodyDrain drain;

    @Context
    private ResourceInfo resource;

    public RequestBodies(HttpSettings settings, BodyDrain drain) {
        this.settings = settings;
        this.drain = drain;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        Method method = resource.getResourceMethod();
        long limit = method == null ? SMALL_BODY_BYTES
                : method.isAnnotationPresent(UploadBody.class) ? settings.maxUploadBytes()
                : method.isAnnotationPresent(AppendBody.class) ? Long.MAX_VALUE
                : SMALL_BODY_BYTES;
        WireLimitedInputStream body = new WireLimitedInputStream(request.getEntityStream(), limit,
                ContinueGate.continuationOf(request));
        request.setProperty(CompletedRequests.BODY, body); // its count is the request's bytes in
        request.setEntityStream(drain.watch(wrap(body)));
    }

    private InputStream wrap(InputStream body) {
        if (settings.minUploadBytesPerSecond() == 0) {
            return body;
        }
        return new MinimumRateInputStream(body, settings.idleTimeout().toNanos(), settings.minUploadBytesPerSecond(),
                System::nanoTime);
    }
}
