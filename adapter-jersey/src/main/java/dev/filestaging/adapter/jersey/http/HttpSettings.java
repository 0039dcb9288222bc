package dev.filestaging.adapter.jersey.http;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

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
 * @param maxConcurrentUploads    the most uploads streaming at once, fewer than {@code workerThreads}, so the threads
 *                                left over always answer listings, gets, deletes and health checks; an upload beyond
 *                                it is answered 503 at once. 0 picks {@link #defaultMaxConcurrentUploads}
 * @param shutdownGrace           on close, uploads in progress get this long to finish before they are cut off
 * @param publicUrl               how clients reach the service (its URL behind a proxy), for {@code Location}; empty to
 *                                build it from the request
 * @param trustedProxies          addresses and CIDR ranges of proxies whose {@code X-Forwarded-Proto} and
 *                                {@code -Host} say how clients addressed the service; others' are removed
 * @param corsOrigins             origins ({@code https://app.example.com}) whose pages may call the API from a browser,
 *                                or {@code *} for any; empty for none
 * @param writeStallTimeout       a response whose reader takes nothing for this long (the connection's write queue
 *                                stays full) is cut off, freeing its worker and transfer slot: a client that stops
 *                                reading a download cannot hold them
 */
public record HttpSettings(String host, int port, long maxUploadBytes, int workerThreads, Duration idleTimeout,
                           long minUploadBytesPerSecond, int maxConcurrentUploads, Duration shutdownGrace,
                           Optional<String> publicUrl, java.util.List<String> trustedProxies,
                           java.util.List<String> corsOrigins, Duration writeStallTimeout) {
    public static final long DEFAULT_MAX_UPLOAD_BYTES = 2L * 1024 * 1024 * 1024;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
    public static final long DEFAULT_MIN_UPLOAD_BYTES_PER_SECOND = 1024;
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(30);
    public static final Duration DEFAULT_WRITE_STALL_TIMEOUT = Duration.ofSeconds(10);

    public HttpSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        Objects.requireNonNull(writeStallTimeout, "writeStallTimeout");
        if (writeStallTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("the write stall timeout must be at least a millisecond");
        }
        Objects.requireNonNull(publicUrl, "publicUrl");
        publicUrl = publicUrl.map(url -> url.replaceAll("/+$", ""));
        trustedProxies = java.util.List.copyOf(trustedProxies);
        TrustedProxies.of(trustedProxies); // fails on a pattern that is no address or range
        corsOrigins = java.util.List.copyOf(corsOrigins);
        requireOrigins(corsOrigins);
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
        if (maxConcurrentUploads == 0) {
            maxConcurrentUploads = defaultMaxConcurrentUploads(workerThreads);
        }
        if (maxConcurrentUploads < 1 || maxConcurrentUploads >= workerThreads) {
            throw new IllegalArgumentException("concurrent uploads must be at least 1 and fewer than the "
                    + workerThreads + " worker threads, so some are always left for other requests");
        }
        if (shutdownGrace.isNegative()) {
            throw new IllegalArgumentException("the shutdown grace cannot be negative");
        }
    }

    /** All but the write stall timeout, which is {@link #DEFAULT_WRITE_STALL_TIMEOUT}. */
    public HttpSettings(String host, int port, long maxUploadBytes, int workerThreads, Duration idleTimeout,
                        long minUploadBytesPerSecond, int maxConcurrentUploads, Duration shutdownGrace,
                        Optional<String> publicUrl, java.util.List<String> trustedProxies,
                        java.util.List<String> corsOrigins) {
        this(host, port, maxUploadBytes, workerThreads, idleTimeout, minUploadBytesPerSecond, maxConcurrentUploads,
                shutdownGrace, publicUrl, trustedProxies, corsOrigins, DEFAULT_WRITE_STALL_TIMEOUT);
    }

    /**
     * With the default idle timeout, minimum upload rate, upload slots, shutdown grace and write stall timeout, and no
     * public URL.
     */
    public HttpSettings(String host, int port, long maxUploadBytes, int workerThreads) {
        this(host, port, maxUploadBytes, workerThreads, DEFAULT_IDLE_TIMEOUT, DEFAULT_MIN_UPLOAD_BYTES_PER_SECOND, 0,
                DEFAULT_SHUTDOWN_GRACE, Optional.empty(), java.util.List.of(), java.util.List.of(),
                DEFAULT_WRITE_STALL_TIMEOUT);
    }

    /**
     * The service's root as clients address it, without a trailing slash: the public URL when one is set, else the
     * request's base (which {@link ForwardedHeaders} set from a trusted proxy's headers).
     */
    public String publicBase(jakarta.ws.rs.core.UriInfo request) {
        return publicUrl.orElseGet(() -> {
            String requested = request.getBaseUri().toString();
            return requested.endsWith("/") ? requested.substring(0, requested.length() - 1) : requested;
        });
    }

    /**
     * Fails unless each is {@code *} or a bare origin such as {@code https://app.example.com} (scheme, host, port).
     *
     * @throws IllegalArgumentException naming the first that is not
     */
    public static void requireOrigins(java.util.List<String> origins) {
        CrossOrigin.validate(origins);
    }

    /** Three quarters of the workers, leaving at least two for requests that are not uploads. */
    public static int defaultMaxConcurrentUploads(int workerThreads) {
        return Math.max(1, workerThreads - Math.max(2, workerThreads / 4));
    }

    /** The same settings with other upload slots. */
    public HttpSettings withMaxConcurrentUploads(int uploads) {
        return new HttpSettings(host, port, maxUploadBytes, workerThreads, idleTimeout, minUploadBytesPerSecond, uploads,
                shutdownGrace, publicUrl, trustedProxies, corsOrigins, writeStallTimeout);
    }

    /** The same settings letting pages of these origins call the API. */
    public HttpSettings withCorsOrigins(java.util.List<String> origins) {
        return new HttpSettings(host, port, maxUploadBytes, workerThreads, idleTimeout, minUploadBytesPerSecond,
                maxConcurrentUploads, shutdownGrace, publicUrl, trustedProxies, origins, writeStallTimeout);
    }

    /** The same settings cutting off responses whose reader takes nothing for {@code timeout}. */
    public HttpSettings withWriteStallTimeout(Duration timeout) {
        return new HttpSettings(host, port, maxUploadBytes, workerThreads, idleTimeout, minUploadBytesPerSecond,
                maxConcurrentUploads, shutdownGrace, publicUrl, trustedProxies, corsOrigins, timeout);
    }
}
