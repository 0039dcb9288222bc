package dev.filestaging.adapter.localfs.io;

import dev.filestaging.ports.out.StorageException;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Translates file-system errors into the storage port's exceptions, once, at this adapter's edge. */
public final class IoErrors {
    private IoErrors() {}

    public static StorageException translate(String action, IOException e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("No space left on device") || message.contains("Disk quota exceeded")) {
            return new StorageException.StorageFullException("the data directory is full while trying to " + action, e);
        }
        return new StorageException("local storage failed to " + action + ": " + message, e);
    }

    static StorageException translate(String action, UncheckedIOException e) {
        return translate(action, e.getCause());
    }
}
