package dev.filestaging.adapter.jersey.http;

import dev.filestaging.adapter.jersey.problems.Problem;
import dev.filestaging.ports.Principal;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.ext.WriterInterceptor;
import jakarta.ws.rs.ext.WriterInterceptorContext;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.function.Consumer;
import org.glassfish.jersey.server.ExtendedUriInfo;
import org.glassfish.jersey.uri.UriTemplate;

/**
 * Sees every request through to the end of its answer and hands a {@link CompletedRequest} to each observer (the
 * access log, the meters). Answers with a body are complete once the body is written, so a download's duration and
 * bytes are the download's; the others once the answer is ready.
 */
public final class CompletedRequests implements ContainerResponseFilter, WriterInterceptor {
    static final String STARTED = "dev.filestaging.completed.started";
    /** The authenticated principal, as authentication sets it. */
    public static final String PRINCIPAL = "dev.filestaging.principal";
    /** The request body as read, for its byte count. */
    static final String BODY = "dev.filestaging.completed.body";
    private static final String PENDING = "dev.filestaging.completed.pending";

    private final List<Consumer<CompletedRequest>> observers;
    private final RouteTable routes;

    /** @param routes the API's routes, to name those of requests answered before matching (authentication) */
    public CompletedRequests(List<Consumer<CompletedRequest>> observers, RouteTable routes) {
        this.observers = List.copyOf(observers);
        this.routes = routes;
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        Object principal = request.getProperty(PRINCIPAL);
        String route = route(request);
        if (route.equals(CompletedRequest.UNMATCHED)) {
            route = routes.routeOf(request.getUriInfo().getPath()).orElse(CompletedRequest.UNMATCHED);
        }
        CompletedRequest answer = new CompletedRequest(request.getMethod(), route, response.getStatus(),
                response.getEntity() instanceof Problem problem ? problem.code() : null,
                principal instanceof Principal p ? p.serviceAccountId() : null,
                request.getProperty(BODY) instanceof WireLimitedInputStream body ? body.bytesRead() : 0, 0,
                request.getProperty(STARTED) instanceof Long nanos ? nanos : System.nanoTime());
        if (response.hasEntity()) {
            request.setProperty(PENDING, answer);
            return;
        }
        complete(answer.finished(0));
    }

    @Override
    public void aroundWriteTo(WriterInterceptorContext context) throws IOException {
        if (!(context.getProperty(PENDING) instanceof CompletedRequest answer)) {
            context.proceed();
            return;
        }
        context.removeProperty(PENDING);
        Counting counted = new Counting(context.getOutputStream());
        context.setOutputStream(counted);
        try {
            context.proceed();
        } catch (IOException failure) {
            if (!counted.clientLeft) {
                complete(answer.finished(counted.bytes));
                throw failure;
            }
            // The client left mid-answer (a download cancelled, a link opened and closed): nothing failed here, and
            // Jersey would log it as an error with a stack trace, one per client that does it. The access log's line,
            // marked aborted, says all there is to say.
            complete(answer.abandoned(counted.bytes));
            return;
        } catch (RuntimeException | Error failure) {
            complete(answer.finished(counted.bytes));
            throw failure;
        }
        complete(answer.finished(counted.bytes));
    }

    private void complete(CompletedRequest answer) {
        try {
            observers.forEach(observer -> observer.accept(answer));
        } finally {
            RequestIds.finished();
        }
    }

    /** The matched route template ({@code /v1/files/{name}}), or {@code (unmatched)}: never a file name or a query. */
    static String route(ContainerRequestContext request) {
        if (request.getUriInfo() instanceof ExtendedUriInfo info && !info.getMatchedTemplates().isEmpty()) {
            // matched templates run from the method's to the root's, each with or without its slashes
            List<UriTemplate> templates = info.getMatchedTemplates();
            StringBuilder route = new StringBuilder();
            for (int i = templates.size() - 1; i >= 0; i--) {
                String template = templates.get(i).getTemplate();
                int from = template.startsWith("/") ? 1 : 0;
                int to = template.endsWith("/") && template.length() > from ? template.length() - 1 : template.length();
                if (to > from) {
                    route.append('/').append(template, from, to);
                }
            }
            return route.length() == 0 ? "/" : route.toString();
        }
        return CompletedRequest.UNMATCHED;
    }

    /** Counts what is written, and whether writing failed: the client left (a storage failure is no write failure). */
    private static final class Counting extends FilterOutputStream {
        long bytes;
        boolean clientLeft;

        Counting(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            try {
                out.write(b);
            } catch (IOException e) {
                clientLeft = true;
                throw e;
            }
            bytes++;
        }

        @Override
        public void write(byte[] buffer, int offset, int length) throws IOException {
            try {
                out.write(buffer, offset, length);
            } catch (IOException e) {
                clientLeft = true;
                throw e;
            }
            bytes += length;
        }

        @Override
        public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                clientLeft = true;
                throw e;
            }
        }
    }
}
