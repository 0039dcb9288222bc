package dev.filestaging.ports.in;

import java.io.IOException;

/** Use case: stage one file, streaming its content once from the client to storage. */
public interface UploadFile {

    /**
     * Reads {@code command.content()} to its end while computing size, MD5 and formats, and commits the file
     * atomically under its name.
     *
     * @throws IOException           reading the content failed (client gone, body cut off); nothing was stored
     * @throws AccessDeniedException the principal may not manage files of that area
     * @throws dev.filestaging.ports.out.StorageException the storage failed; nothing was stored
     */
    UploadOutcome upload(UploadCommand command) throws IOException;
}
