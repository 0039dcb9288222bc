package dev.filestaging.adapter.jersey.http;

import dev.filestaging.adapter.jersey.multipart.MultipartCursor;
import dev.filestaging.adapter.jersey.problems.ApiProblem;
import dev.filestaging.adapter.jersey.problems.Problem;
import dev.filestaging.adapter.jersey.problems.Problems;
import dev.filestaging.ports.in.AccessDeniedException;
import dev.filestaging.ports.out.StorageException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.lang.System.Logger.Level;

/**
 * The one place where failures become HTTP answers: this adapter's problems, the ports' exceptions, Jersey's own
 * errors, and anything unexpected (logged here, never shown to the client).
 */
public final class ProblemMapper implements ExceptionMapper<Throwable> {
    private static final System.Logger LOG = System.getLogger(ProblemMapper.class.getName());

    private final HttpSettings settings;

    /** Proxies to the request being answered (Jersey injects thread-bound proxies into singleton providers). */
    @Context
    private UriInfo uri;
    @Context
    private Request request;

    /** @param settings whose public URL, or else the address clients asked, is the base of problem types */
    public ProblemMapper(HttpSettings settings) {
        this.settings = settings;
    }

    @Override
    public Response toResponse(Throwable failure) {
        ApiProblem problem = toProblem(failure, this::route).typeUnder(typeBase());
        return toResponse(RequestIds.current().map(id -> problem.forRequest(id)).orElse(problem));
    }

    /** The root problem types are under; relative to the server's root outside a request. */
    private String typeBase() {
        try {
            return settings.publicBase(uri);
        } catch (RuntimeException outsideARequest) {
            return "";
        }
    }

    /** Method and path of the request, never its query or headers (which may carry credentials). */
    private String route() {
        try {
            return request.getMethod() + " /" + uri.getPath(false);
        } catch (RuntimeException outsideARequest) {
            return "(no request)";
        }
    }

    static Response toResponse(ApiProblem problem) {
        Response.ResponseBuilder response = Response.status(problem.problem().status())
                .type(Problem.MEDIA_TYPE)
                .entity(problem.problem());
        problem.headers().forEach(response::header);
        return response.build();
    }

    private static ApiProblem toProblem(Throwable failure, java.util.function.Supplier<String> route) {
        if (failure instanceof ApiProblem problem) {
            return problem;
        }
        if (failure instanceof AccessDeniedException denied) {
            return Problems.forbidden(denied.getMessage());
        }
        if (failure instanceof StorageException.StorageFullException full) {
            LOG.log(Level.ERROR, "storage full: " + full.getMessage());
            return Problems.storageFull();
        }
        if (failure instanceof StorageException.StorageUnavailableException unavailable) {
            LOG.log(Level.WARNING, "storage unavailable: " + unavailable.getMessage());
            return Problems.storageUnavailable();
        }
        if (failure instanceof WebApplicationException web) {
            Response.StatusType status = web.getResponse().getStatusInfo();
            ApiProblem problem = Problems.http(status.getStatusCode(), status.getReasonPhrase());
            // a 405 must say which methods the address takes (RFC 9110 §15.5.6); Jersey put them in its answer
            String allow = web.getResponse().getHeaderString("Allow");
            return allow == null ? problem : problem.with("Allow", allow);
        }
        // a failure nobody foresaw: the operator the answer points to needs the request and the whole trace
        LOG.log(Level.ERROR, "request failed: " + route.get() + ": " + causes(failure), failure);
        return Problems.internalError();
    }

    /**
     * Why reading a request body failed, as the client should hear it: too large, too slow, malformed, or cut off.
     * Nothing was stored in any of these cases. A timeout may come wrapped by the container, so causes are searched.
     */
    public static ApiProblem bodyFailure(java.io.IOException failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof WireLimitedInputStream.LimitExceeded exceeded) {
                return Problems.uploadTooLarge(exceeded.limit());
            }
            if (cause instanceof MinimumRateInputStream.TooSlow
                    || cause instanceof java.util.concurrent.TimeoutException
                    || cause instanceof java.net.SocketTimeoutException) {
                return Problems.requestTimeout();
            }
        }
        if (failure instanceof MultipartCursor.Malformed malformed) {
            return Problems.malformedMultipart(malformed.getMessage());
        }
        return Problems.uploadInterrupted();
    }

    /** "Type: message" of the failure and each of its causes, outermost first. */
    static String causes(Throwable failure) {
        StringBuilder chain = new StringBuilder();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (chain.length() > 0) {
                chain.append(" <- ");
            }
            chain.append(cause.getClass().getSimpleName()).append(": ").append(cause.getMessage());
            if (cause.getCause() == cause) {
                break;
            }
        }
        return chain.toString();
    }
}
