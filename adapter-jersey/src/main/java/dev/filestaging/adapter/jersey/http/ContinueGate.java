package dev.filestaging.adapter.jersey.http;

import dev.filestaging.adapter.jersey.problems.ApiProblem;
import dev.filestaging.adapter.jersey.problems.Problem;
import dev.filestaging.adapter.jersey.problems.ProblemType;
import dev.filestaging.adapter.jersey.problems.Problems;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.function.Consumer;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;

/**
 * Sits in front of Jersey to handle {@code Expect: 100-continue} the way uploads need: a declared length over the
 * limit is refused at once, and otherwise the {@code 100 Continue} is held back until the resource starts reading
 * the body, after authentication and every check that needs no body. A refused client never sends its gigabytes.
 */
public final class ContinueGate extends HttpHandler {
    private static final String CONTINUATION = "dev.filestaging.continuation";
    private static final String ABORT = "dev.filestaging.abort";
    private static final System.Logger LOG = System.getLogger(ContinueGate.class.getName());

    private final HttpHandler jersey;
    private final long maxUploadBytes;
    private final String problemTypeBase;
    private final TrustedProxies trustedProxies;
    private final Consumer<CompletedRequest> observers;
    private final RouteTable routes;
    private volatile boolean refusing;

    /**
     * @param problemTypeBase the service's public URL for the types of problems answered here, or empty
     * @param trustedProxies  the peers whose {@code X-Forwarded-*} headers are kept
     * @param observers       told of the requests answered here, as of every other (the access log, the meters)
     * @param routes          the API's routes, to name those of the requests answered here
     */
    public ContinueGate(HttpHandler jersey, long maxUploadBytes, String problemTypeBase, TrustedProxies trustedProxies,
                 Consumer<CompletedRequest> observers, RouteTable routes) {
        this.jersey = jersey;
        this.maxUploadBytes = maxUploadBytes;
        this.problemTypeBase = problemTypeBase;
        this.trustedProxies = trustedProxies;
        this.observers = observers;
        this.routes = routes;
    }

    /** What to run before reading the body of {@code request}: sends its pending 100 Continue, if any. */
    static Runnable continuationOf(ContainerRequestContext request) {
        return request.getProperty(CONTINUATION) instanceof Runnable continuation ? continuation : () -> { };
    }

    /**
     * True when the client waits for a {@code 100 Continue} that was never sent: its body was not read, so the
     * connection cannot carry another request and must be closed after the final answer (RFC 9110 §10.1.1).
     */
    static boolean bodyWithheld(ContainerRequestContext request) {
        return request.getProperty(CONTINUATION) instanceof Continuation continuation && !continuation.sent;
    }

    /**
     * Cuts the request's connection at once, dropping whatever is queued for the client. A response that failed
     * midway (its reader stalled past the write stall timeout) must end so: Grizzly's own close after a write timeout
     * waits for the queue to drain, and the response's closing flush waited the whole timeout again, holding the
     * worker thread (measured: 2 to 3 timeouts instead of 1).
     */
    public static Runnable abortOf(ContainerRequestContext request) {
        return request.getProperty(ABORT) instanceof Runnable abort ? abort : () -> { };
    }

    /** Sends the 100 Continue once, when the resource first reads the body. */
    private static final class Continuation implements Runnable {
        private final Response response;
        private volatile boolean sent;

        Continuation(Response response) {
            this.response = response;
        }

        @Override
        public void run() {
            if (sent) {
                return;
            }
            sent = true;
            try {
                response.setStatus(org.glassfish.grizzly.http.util.HttpStatus.CONINTUE_100);
                response.sendAcknowledgement();
                // Grizzly dated the interim answer in the final answer's headers, where Jersey's own Date was then added:
                // the final answer carried two (RFC 9110 §6.6.1 allows one)
                response.getResponse().getHeaders().removeHeader(org.glassfish.grizzly.http.util.Header.Date);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** From now on every new request is answered 503 {@code shutting_down}, without reading its body. */
    public void refuseNewRequests() {
        refusing = true;
    }

    @Override
    protected boolean sendAcknowledgment(Request request, Response response) throws IOException {
        if (refusing) {
            send(Problems.shuttingDown(), request, response);
            return false;
        }
        if (!"100-continue".equalsIgnoreCase(request.getHeader("Expect"))) {
            return super.sendAcknowledgment(request, response);
        }
        // a resumable upload's append is bounded by the upload's own length, which the domain checks
        if (request.getContentLengthLong() > maxUploadBytes
                && !TusProtocol.isUploadsPath(request.getRequestURI().replaceFirst("^/", ""))) {
            send(Problems.uploadTooLarge(maxUploadBytes), request, response);
            return false;
        }
        request.setAttribute(CONTINUATION, new Continuation(response));
        return true;
    }

    /**
     * Jersey answers everything it can itself; what escapes it failed before Jersey had a request (an address that is
     * not a URI, say). Grizzly would answer that with an HTML page holding the stack trace, so it is answered here.
     */
    @Override
    public void service(Request request, Response response) throws Exception {
        request.setAttribute(ClientAddress.PROPERTY, ClientAddress.resolve(request.getRemoteAddr(),
                forwardedFor(request), trustedProxies));
        if (!trustedProxies.trusts(request.getRemoteAddr())) {
            // a client may not say where it came from or what it asked for: only a trusted proxy may
            TrustedProxies.HEADERS.forEach(header -> request.getRequest().getHeaders().removeHeader(header));
        }
        if (refusing) {
            send(Problems.shuttingDown(), request, response);
            return;
        }
        request.setAttribute(ABORT, (Runnable) () -> request.getContext().getConnection().terminateSilently());
        try {
            jersey.service(request, response);
        } catch (Exception failure) {
            if (response.isCommitted()) {
                throw failure;
            }
            if (causedBy(failure, java.net.URISyntaxException.class)) {
                send(Problems.badAddress(), request, response);
            } else {
                LOG.log(System.Logger.Level.ERROR, "request failed before it reached the API: " + request.getMethod()
                        + " " + request.getRequestURI() + ": " + ProblemMapper.causes(failure), failure);
                send(Problems.internalError(), request, response);
            }
        }
    }

    /** Every {@code X-Forwarded-For} line, in order, as one list. */
    private static String forwardedFor(Request request) {
        StringBuilder joined = null;
        for (String line : request.getHeaders("X-Forwarded-For")) {
            joined = joined == null ? new StringBuilder(line) : joined.append(',').append(line);
        }
        return joined == null ? null : joined.toString();
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Answers with a problem directly, outside Jersey, with the headers every answer carries and a request id, and
     * tells the observers.
     */
    private void send(ApiProblem problem, Request request, Response response) throws IOException {
        long started = System.nanoTime();
        String id = java.util.UUID.randomUUID().toString();
        response.setHeader(RequestIds.HEADER, id);
        response.setStatus(problem.problem().status());
        response.setContentType(Problem.MEDIA_TYPE);
        SecurityHeadersFilter.HEADERS.forEach(response::setHeader);
        response.setHeader("Date", org.glassfish.grizzly.http.util.FastHttpDateFormat.getCurrentDate());
        problem.headers().forEach(response::setHeader);
        response.setHeader("Connection", "close");
        // and close it indeed: a request pipelined behind this one must not run with its answer lost
        request.getRequest().getProcessingState().setKeepAlive(false);
        Http11Only.closeAfter(request.getContext().getConnection());
        byte[] body = problem.problem().typeUnder(problemTypeBase).forRequest(id).json();
        response.setContentLength(body.length);
        try (OutputStream out = response.getOutputStream()) {
            out.write(body);
        }
        // an address that is no URI has no route; others are named as Jersey would have
        String route = problem.problem().code().equals(ProblemType.BAD_ADDRESS.code()) ? CompletedRequest.UNPARSED
                : routes.routeOf(request.getRequestURI()).orElse(CompletedRequest.UNMATCHED);
        CompletedRequest answered = new CompletedRequest(request.getMethod().getMethodString(), route,
                problem.problem().status(), problem.problem().code(), null, 0, body.length, started, System.nanoTime(),
                false);
        RequestIds.during(id, () -> observers.accept(answered));
    }

    @Override
    public void start() {
        jersey.start();
    }

    @Override
    public void destroy() {
        jersey.destroy();
    }
}
