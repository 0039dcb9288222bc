package dev.filestaging.ports.out;

/**
 * The storage failed. Adapters translate their own errors into this family once, at their edge, so that nothing
 * above them sees a file-system or SDK exception.
 */
public class StorageException extends RuntimeException {
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }

    public StorageException(String message) {
        super(message);
    }

    /** The storage has no room left (disk full, bucket quota): retrying the same upload will fail again. */
    public static final class StorageFullException extends StorageException {
        public StorageFullException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The storage cannot be reached or is overloaded: the same call may succeed later. */
    public static final class StorageUnavailableException extends StorageException {
        public StorageUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
