package dev.filestaging.adapter.jersey.http;

import java.lang.System.Logger.Level;
import java.util.function.Consumer;

/**
 * One line per request on the logger {@code dev.filestaging.access}: method, route, status, bytes in and out,
 * duration and the principal's service account, and {@code aborted} when the client left before the whole answer was
 * written; the request id is on every line of the request anyway. Every part comes from a bounded set or is a number
 * (see {@link CompletedRequest}): a client cannot forge a line or grow the log's vocabulary.
 */
public final class AccessLog implements Consumer<CompletedRequest> {
    private static final System.Logger LOG = System.getLogger("dev.filestaging.access");

    @Override
    public void accept(CompletedRequest request) {
        if (LOG.isLoggable(Level.INFO)) {
            LOG.log(Level.INFO, request.method() + " " + request.route() + " " + request.status()
                    + (request.code() == null ? "" : " " + request.code()) + " in=" + request.bytesIn() + " out="
                    + request.bytesOut() + " " + request.durationNanos() / 1_000_000 + " ms principal="
                    + (request.principal() == null ? "-" : request.principal())
                    + (request.aborted() ? " aborted" : ""));
        }
    }
}
