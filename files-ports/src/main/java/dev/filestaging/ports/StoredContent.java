package dev.filestaging.ports;

import java.io.InputStream;
import java.util.Objects;

/**
 * One version of a stored file, opened for reading: its metadata and the bytes of {@code slice}, both of that same
 * version. The caller closes it.
 *
 * @param content exactly {@code slice.length()} bytes; empty for {@link ContentSlice.Unsatisfiable}
 */
public record StoredContent(StoredFile file, ContentSlice slice, InputStream content) implements AutoCloseable {
    public StoredContent {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(slice, "slice");
        Objects.requireNonNull(content, "content");
        if (slice.fileSize() != file.sizeBytes()) {
            throw new IllegalArgumentException("the slice is of a " + slice.fileSize() + "-byte file, the file has "
                    + file.sizeBytes());
        }
    }

    @Override
    public void close() {
        try {
            content.close();
        } catch (java.io.IOException ignored) {
            // nothing was written; a failed close of a read stream loses nothing
        }
    }
}
