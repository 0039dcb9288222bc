package dev.filestaging.ports.in;

import java.io.IOException;

/**
 * Use case: stage one file, streaming its content once from the client to storage. An upload is begun, appended to,
 * and completed; a multipart POST does the three in one request, a resumable upload over several.
 */
public interface UploadFile {

    /**
     * Checks the principal's right, the name, and that the name is free (the commit stays the real guard against
     * races), and opens an upload.
     *
     * @throws AccessDeniedException the principal may not manage files of that area
     * @throws dev.filestaging.ports.out.StorageException the storage cannot take an upload now
     */
    BeginOutcome begin(UploadRequest request);

    /**
     * Begins, appends {@code command.content()} to its end and completes, in one go.
     *
     * @throws IOException           reading the content failed (client gone, body cut off); nothing was stored
     * @throws AccessDeniedException the principal may not manage files of that area
     * @throws dev.filestaging.ports.out.StorageException the storage failed; nothing was stored
     */
    default UploadOutcome upload(UploadCommand command) throws IOException {
        BeginOutcome begun = begin(command.request());
        if (begun instanceof BeginOutcome.Refused refused) {
            return refused.refusal();
        }
        try (Upload upload = ((BeginOutcome.Begun) begun).upload()) {
            AppendOutcome appended = upload.append(command.content());
            if (appended instanceof AppendOutcome.Refused refused) {
                return refused.refusal();
            }
            return upload.complete(command.expectedMd5());
        }
    }
}
