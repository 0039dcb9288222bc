package dev.filestaging.adapter.jersey;

import java.lang.System.Logger.Level;
import java.util.function.Consumer;

/**
 * One line per request on the logger {@code dev.filestaging.access}: method, route, status, bytes in and out,
 * duration and the principal's service account; the request id is on every line of the request anyway.
 */
final class AccessLog implements Consumer<CompletedRequest> {
    private static final System.Logger LOG = System.getLogger("dev.filestaging.access");

    @Override
    public void accept(CompletedRequest request) {
        if (LOG.isLoggable(Level.INFO)) {
            LOG.log(Level.INFO, request.method() + " " + request.route() + " " + request.status()
                    + (request.code() == null ? "" : " " + request.code()) + " in=" + request.bytesIn() + " out="
                    + request.bytesOut() + " " + request.durationNanos() / 1_000_000 + " ms principal="
                    + (request.principal() == null ? "-" : request.principal()));
        }
    }
}
