package dev.filestaging.domain.storage;

import dev.filestaging.ports.out.StorageException;
import dev.filestaging.ports.out.blob.BlobStore;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Deleting blobs that nothing refers to any more, where a failure must not undo what the catalog recorded. */
final class Blobs {
    private static final Logger LOG = Logger.getLogger(Blobs.class.getName());

    private Blobs() {}

    /** Deletes the blob; a failure leaves an orphan for the sweep, logged, and is not the caller's failure. */
    static void deleteQuietly(BlobStore blobs, String blobId) {
        try {
            blobs.delete(blobId);
        } catch (StorageException | IllegalStateException e) {
            LOG.log(Level.WARNING, "blob " + blobId + " could not be deleted now; the orphan sweep will: " + e, e);
        }
    }
}
