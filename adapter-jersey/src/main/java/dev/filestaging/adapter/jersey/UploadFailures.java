package dev.filestaging.adapter.jersey;

import java.io.IOException;
import org.apache.commons.fileupload2.core.FileUploadException;
import org.apache.commons.fileupload2.core.FileUploadSizeException;

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
        }
        if (failure instanceof FileUploadSizeException) {
            return Problems.malformedMultipart("a part's headers are larger than "
                    + MultipartFileReader.MAX_PART_HEADER_BYTES + " bytes");
        }
        if (failure instanceof FileUploadException) {
            return Problems.malformedMultipart(failure.getMessage());
        }
        return Problems.uploadInterrupted();
    }
}
