package dev.filestaging.adapter.jersey;

import java.io.IOException;

/** Why reading an upload's body failed, as the client should hear it. Nothing was stored in any of these cases. */
final class UploadFailures {
    private UploadFailures() {}

    static ApiProblem toProblem(IOException failure, long maxUploadBytes) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof WireLimitedInputStream.LimitExceeded) {
                return Problems.uploadTooLarge(maxUploadBytes);
            }
            if (cause instanceof MultipartFileReader.Violation violation) {
                return violation.problem();
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
}
