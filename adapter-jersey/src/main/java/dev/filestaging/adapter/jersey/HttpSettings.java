package dev.filestaging.adapter.jersey;

import java.time.Duration;
import java.util.Objects;

/**
 * How the HTTP server listens.
 *
 * @param port                    0 picks a free port
 * @param maxUploadBytes          the most bytes one upload request may carry on the wire, multipart framing included
 * @param workerThreads           the most requests served at once; each upload holds one thread while it streams
 * @param idleTimeout             a request body that sends nothing for this long is given up (408), freeing its thread
 * @param minUploadBytesPerSecond an upload that sends fewer bytes than this per second, on average over each
 *                                {@code idleTimeout}, is given up (408): a client trickling bytes cannot hold a thread
 *                                forever. 0 turns the check off
 */
public record HttpSettings(String host, int port, long maxUploadBytes, int workerThreads, Duration idleTimeout,
                           long minUploadBytesPerSecond) {
    public static final long DEFAULT_MAX_UPLOAD_BYTES = 2L * 1024 * 1024 * 1024;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
    public static final long DEFAULT_MIN_UPLOAD_BYTES_PER_SECOND = 1024;

    public HttpSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0-65535");
        }
        if (maxUploadBytes <= 0) {
            throw new IllegalArgumentException("the upload limit must be positive");
        }
        if (workerThreads < 2) {
            throw new IllegalArgumentException("at least 2 worker threads are needed");
        }
        if (idleTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("the idle timeout must be at least a millisecond");
        }
        if (minUploadBytesPerSecond < 0) {
            throw new IllegalArgumentException("the minimum upload rate cannot be negative");
        }
    }

    /** With the default idle timeout (30 s) and minimum upload rate (1 KiB/s). */
    public HttpSettings(String host, int port, long maxUploadBytes, int workerThreads) {
        this(host, port, maxUploadBytes, workerThreads, DEFAULT_IDLE_TIMEOUT, DEFAULT_MIN_UPLOAD_BYTES_PER_SECOND);
    }
}
