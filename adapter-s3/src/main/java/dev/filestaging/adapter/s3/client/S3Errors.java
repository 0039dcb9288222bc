package dev.filestaging.adapter.s3.client;

import dev.filestaging.ports.out.StorageException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The one place where SDK errors become the port's {@link StorageException}s (public for the module's {@code blob}
 * package, and its {@code legacy} package, which reads the retired layout with the same translation).
 */
public final class S3Errors {

    private S3Errors() {
    }

    /**
     * Translates a failure of {@code action}. Unreachable, timing out, throttling or failing servers (5xx, 429) are
     * {@link StorageException.StorageUnavailableException}: the same call may succeed later. Anything else (access
     * denied, no such bucket) is a plain {@link StorageException}: retrying will not help until someone fixes it.
     */
    public static StorageException translate(String action, Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof StorageException storage) {
            return storage;
        }
        if (cause instanceof S3Exception s3) {
            int status = s3.statusCode();
            String code = s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorCode();
            String message = action + " failed: S3 answered " + status + (code == null ? "" : " " + code);
            if (status >= 500 || status == 429 || "SlowDown".equals(code)) {
                return new StorageException.StorageUnavailableException(message, s3);
            }
            if (status == 403) {
                return new StorageException(message + " (check the credentials and the bucket policy)", s3);
            }
            return new StorageException(message, s3);
        }
        if (cause instanceof SdkClientException client) {
            return new StorageException.StorageUnavailableException(
                    action + " failed: S3 could not be reached (" + client.getMessage() + ")", client);
        }
        if (cause instanceof SdkException sdk) {
            return new StorageException(action + " failed: " + sdk.getMessage(), sdk);
        }
        return new StorageException(action + " failed: " + cause, cause);
    }

    /** Whether the store refused a conditional request because its condition did not hold (412). */
    static boolean isPreconditionFailed(Throwable failure) {
        return unwrap(failure) instanceof S3Exception s3 && s3.statusCode() == 412;
    }

    /** Whether the store refused a conditional request because another one on the same key was in flight (409). */
    static boolean isConditionalConflict(Throwable failure) {
        return unwrap(failure) instanceof S3Exception s3 && s3.statusCode() == 409;
    }

    /** Whether the store refused the request's checksum scheme (Ceph RGW 16 and the SDK's trailer checksums). */
    public static boolean isChecksumRefused(Throwable failure) {
        return unwrap(failure) instanceof S3Exception s3 && s3.statusCode() == 400 && s3.awsErrorDetails() != null
                && "XAmzContentSHA256Mismatch".equals(s3.awsErrorDetails().errorCode());
    }

    public static boolean isNotFound(Throwable failure) {
        return unwrap(failure) instanceof S3Exception s3 && s3.statusCode() == 404;
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
