package dev.filestaging.adapter.jersey;

import java.util.Objects;

/**
 * How the HTTP server listens.
 *
 * @param port           0 picks a free port
 * @param maxUploadBytes the most bytes one upload request may carry on the wire, multipart framing included
 * @param workerThreads  the most requests served at once; each upload holds one thread while it streams
 */
public record HttpSettings(String host, int port, long maxUploadBytes, int workerThreads) {
    public static final long DEFAULT_MAX_UPLOAD_BYTES = 2L * 1024 * 1024 * 1024;

    public HttpSettings {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0-65535");
        }
        if (maxUploadBytes <= 0) {
            throw new IllegalArgumentException("the upload limit must be positive");
        }
        if (workerThreads < 2) {
            throw new IllegalArgumentException("at least 2 worker threads are needed");
        }
    }
}
