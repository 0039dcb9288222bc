package dev.filestaging.app.config;

import dev.filestaging.adapter.jersey.http.HttpSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The HTTP server's settings, declared once; read into {@link HttpSettings} through {@link AppConfig#http()}. */
public final class HttpConfiguration {
    private HttpConfiguration() {}

    public static final Setting<String> HOST = Setting.text("FILES_HTTP_HOST", "127.0.0.1",
            "a host name or IP address to listen on, such as 127.0.0.1 or 0.0.0.0");
    public static final Setting<Long> PORT = Setting.number("FILES_HTTP_PORT", 0, 65535, 8080L,
            "a TCP port from 0 to 65535 (0 picks a free one)");
    static final Setting<Long> MAX_UPLOAD = Setting.number("FILES_MAX_UPLOAD_BYTES", 1, Long.MAX_VALUE,
            HttpSettings.DEFAULT_MAX_UPLOAD_BYTES, "a positive number of bytes (2147483648 is 2 GiB)");
    static final Setting<Long> WORKER_THREADS = Setting.number("FILES_HTTP_WORKER_THREADS", 2, 10_000, 64L,
            "a number of threads from 2 to 10000");
    static final Setting<Long> IDLE_TIMEOUT = Setting.number("FILES_HTTP_IDLE_TIMEOUT_SECONDS", 1, 3600,
            HttpSettings.DEFAULT_IDLE_TIMEOUT.toSeconds(),
            "a number of seconds from 1 to 3600");
    static final Setting<Long> MIN_UPLOAD_RATE = Setting.number("FILES_HTTP_MIN_UPLOAD_BYTES_PER_SECOND", 0, 1L << 30,
            HttpSettings.DEFAULT_MIN_UPLOAD_BYTES_PER_SECOND, "a number of bytes per second, 0 to turn the check off");
    /** Its upper bound depends on the worker threads: checked in {@link #maxConcurrentUploads}. */
    static final Setting<Long> MAX_CONCURRENT_UPLOADS = Setting.number("FILES_HTTP_MAX_CONCURRENT_UPLOADS", 0,
            Long.MAX_VALUE, 0L, "a number of uploads fewer than the worker threads, or 0 for three quarters of them");
    static final Setting<Long> SHUTDOWN_GRACE = Setting.number("FILES_HTTP_SHUTDOWN_GRACE_SECONDS", 0, 3600,
            HttpSettings.DEFAULT_SHUTDOWN_GRACE.toSeconds(),
            "a number of seconds from 0 to 3600");
    static final Setting<Long> WRITE_STALL = Setting.number("FILES_HTTP_WRITE_STALL_SECONDS", 1, 3600,
            HttpSettings.DEFAULT_WRITE_STALL_TIMEOUT.toSeconds(), "a number of seconds from 1 to 3600");
    static final Setting<String> PUBLIC_URL = new Setting<>("FILES_PUBLIC_URL",
            "the http(s) URL clients use to reach this service, such as https://files.example.com", null, url -> {
                if (!url.matches("https?://[^/?#]+(/[^?#]*)?")) {
                    throw new IllegalArgumentException("not an http(s) URL");
                }
                return url.replaceAll("/+$", "");
            });

    static final Setting<List<String>> TRUSTED_PROXIES = new Setting<>("FILES_TRUSTED_PROXIES",
            "comma-separated IP addresses and CIDR ranges of reverse proxies, such as 127.0.0.1,10.0.0.0/8", List.of(),
            text -> {
                List<String> patterns = java.util.Arrays.stream(text.split(",")).map(String::strip)
                        .filter(pattern -> !pattern.isEmpty()).toList();
                dev.filestaging.adapter.jersey.http.TrustedProxies.of(patterns);
                return patterns;
            });

    static final Setting<List<String>> CORS_ORIGINS = new Setting<>("FILES_HTTP_CORS_ORIGINS",
            "comma-separated origins whose web pages may call the API, such as https://app.example.com, or *",
            List.of(), text -> {
                List<String> origins = java.util.Arrays.stream(text.split(",")).map(String::strip)
                        .filter(origin -> !origin.isEmpty()).toList();
                HttpSettings.requireOrigins(origins);
                return origins;
            });

    static final List<Setting<?>> DECLARED = List.of(HOST, PORT, MAX_UPLOAD, WORKER_THREADS, IDLE_TIMEOUT,
            MIN_UPLOAD_RATE, MAX_CONCURRENT_UPLOADS, SHUTDOWN_GRACE, PUBLIC_URL, TRUSTED_PROXIES, CORS_ORIGINS,
            WRITE_STALL);

    static int maxConcurrentUploads(Map<String, String> values, int workers) {
        long uploads = MAX_CONCURRENT_UPLOADS.read(values);
        if (uploads > workers - 1) {
            throw new ConfigException(MAX_CONCURRENT_UPLOADS.key() + " must be a number of uploads from 1 to "
                    + (workers - 1) + " (fewer than " + WORKER_THREADS.key() + ", " + workers + "), or 0 for "
                    + HttpSettings.defaultMaxConcurrentUploads(workers) + ", three quarters of the workers (default 0)"
                    + ", got '" + values.get(MAX_CONCURRENT_UPLOADS.key()) + "'");
        }
        return (int) uploads;
    }

    static Duration seconds(Setting<Long> setting, Map<String, String> values) {
        return Duration.ofSeconds(setting.read(values));
    }

    static Optional<String> publicUrl(Map<String, String> values) {
        return Optional.ofNullable(PUBLIC_URL.read(values));
    }
}
