package dev.filestaging.adapter.jersey.http;

import java.util.Set;

/**
 * A request whose answer is complete, as observers see it: nothing that could name a file or carry a credential, and
 * nothing a client can vary without bound (observers turn these into log lines and metric series).
 *
 * @param method         the request method when it is one of HTTP's own ({@link #METHODS}), else {@code other}
 * @param route          the matched route template, {@code (unmatched)} when none matched, {@code (unparsed)} when
 *                       the HTTP parser refused the request
 * @param code           the problem's code when the answer is a problem, else null
 * @param principal      the service account that made it, or null when unauthenticated
 * @param bytesIn        request body bytes read
 * @param bytesOut       answer body bytes written
 * @param startedNanos   {@link System#nanoTime} when the request arrived
 * @param finishedNanos  {@link System#nanoTime} when its answer was complete
 * @param aborted        the client left before the whole answer was written
 */
public record CompletedRequest(String method, String route, int status, String code, String principal, long bytesIn,
                               long bytesOut, long startedNanos, long finishedNanos, boolean aborted) {
    /** The route of a request the HTTP parser refused (not HTTP/1.1, or framed ambiguously). */
    static final String UNPARSED = "(unparsed)";
    static final String UNMATCHED = "(unmatched)";
    /** RFC 9110's methods and PATCH (RFC 5789): any other is {@code other}, however many a client invents. */
    static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE",
            "CONNECT");

    public CompletedRequest {
        method = method != null && METHODS.contains(method) ? method : "other";
    }

    CompletedRequest(String method, String route, int status, String code, String principal, long bytesIn,
                     long bytesOut, long startedNanos) {
        this(method, route, status, code, principal, bytesIn, bytesOut, startedNanos, startedNanos, false);
    }

    CompletedRequest finished(long bytesWritten) {
        return new CompletedRequest(method, route, status, code, principal, bytesIn, bytesWritten, startedNanos,
                System.nanoTime(), false);
    }

    /** The client left after {@code bytesWritten} bytes of the answer. */
    CompletedRequest abandoned(long bytesWritten) {
        return new CompletedRequest(method, route, status, code, principal, bytesIn, bytesWritten, startedNanos,
                System.nanoTime(), true);
    }

    public long durationNanos() {
        return finishedNanos - startedNanos;
    }
}
