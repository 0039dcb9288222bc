package dev.filestaging.adapter.jersey;

/**
 * A request whose answer is complete, as observers see it: nothing that could name a file or carry a credential.
 *
 * @param route          the matched route template, {@code (unmatched)} when none matched
 * @param code           the problem's code when the answer is a problem, else null
 * @param principal      the service account that made it, or null when unauthenticated
 * @param bytesIn        request body bytes read
 * @param bytesOut       answer body bytes written
 * @param startedNanos   {@link System#nanoTime} when the request arrived
 * @param finishedNanos  {@link System#nanoTime} when its answer was complete
 */
public record CompletedRequest(String method, String route, int status, String code, String principal, long bytesIn,
                               long bytesOut, long startedNanos, long finishedNanos) {

    CompletedRequest(String method, String route, int status, String code, String principal, long bytesIn,
                     long bytesOut, long startedNanos) {
        this(method, route, status, code, principal, bytesIn, bytesOut, startedNanos, startedNanos);
    }

    CompletedRequest finished(long bytesWritten) {
        return new CompletedRequest(method, route, status, code, principal, bytesIn, bytesWritten, startedNanos,
                System.nanoTime());
    }

    public long durationNanos() {
        return finishedNanos - startedNanos;
    }
}
