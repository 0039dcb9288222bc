package dev.filestaging.ports.out.blob;

import java.util.Objects;

/**
 * Where a blob being written stands durably: its offset, and what its store needs to reopen it there (a multipart
 * upload's id, say), opaque to everyone else. Kept by the catalog with the upload.
 *
 * @param offset bytes durable
 * @param state  at most {@link #MAX_STATE} characters, made and read only by the blob store that gave it
 */
public record BlobCheckpoint(long offset, String state) {
    public static final int MAX_STATE = 4096;

    public BlobCheckpoint {
        Objects.requireNonNull(state, "state");
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative");
        }
        if (state.length() > MAX_STATE) {
            throw new IllegalArgumentException("a blob checkpoint's state is at most " + MAX_STATE + " characters");
        }
    }

    /** A blob with nothing written. */
    public static BlobCheckpoint start() {
        return new BlobCheckpoint(0, "");
    }
}
