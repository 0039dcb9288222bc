package dev.filestaging.app.config;

import dev.filestaging.adapter.s3.client.ChecksumMode;
import dev.filestaging.adapter.s3.client.S3Settings;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The S3 storage's settings, declared once, and how they make an {@link S3Settings}. */
final class S3Configuration {
    private S3Configuration() {}

    static final Setting<String> BUCKET = Setting.text("FILES_S3_BUCKET", null, "the name of an existing bucket");
    static final Setting<String> PREFIX = Setting.text("FILES_S3_PREFIX", "", "a key prefix");
    static final Setting<String> REGION = Setting.text("FILES_S3_REGION", "us-east-1", "the bucket's region");
    static final Setting<URI> ENDPOINT = new Setting<>("FILES_S3_ENDPOINT",
            "an http:// or https:// URL of an S3-compatible store, such as http://127.0.0.1:9000", null, text -> {
                try {
                    URI endpoint = new URI(text);
                    if (endpoint.getHost() != null
                            && ("http".equals(endpoint.getScheme()) || "https".equals(endpoint.getScheme()))) {
                        return endpoint;
                    }
                } catch (URISyntaxException malformed) {
                    // answered below
                }
                throw new IllegalArgumentException("not an http(s) URL");
            });
    /** Without a value: path style with an endpoint (S3-compatible stores mostly serve buckets as paths), else not. */
    static final Setting<Boolean> PATH_STYLE = Setting.bool("FILES_S3_PATH_STYLE", null);
    static final Setting<Long> PART_SIZE = Setting.number("FILES_S3_PART_SIZE_BYTES", S3Settings.MIN_PART_SIZE_BYTES,
            5L * 1024 * 1024 * 1024, S3Settings.DEFAULT_PART_SIZE_BYTES,
            "a part size in bytes from 5242880 (5 MiB) to 5 GiB");
    static final Setting<Long> REQUEST_TIMEOUT = Setting.number("FILES_S3_REQUEST_TIMEOUT_SECONDS", 1, 3600,
            S3Settings.DEFAULT_REQUEST_TIMEOUT.toSeconds(), "a number of seconds from 1 to 3600");
    static final Setting<Long> MAX_UPLOADS = Setting.number("FILES_S3_MAX_CONCURRENT_UPLOADS", 0, 10_000, 0L,
            "a number of uploads from 1 to 10000, or 0 for as many as half the heap holds");
    static final Setting<ChecksumMode> CHECKSUMS = new Setting<>("FILES_S3_CHECKSUMS",
            "auto, when_required or when_supported", ChecksumMode.AUTO, ChecksumMode::fromWireName);
    /** How content downloads are answered. */
    enum Downloads { PROXY, REDIRECT }

    static final Setting<Downloads> DOWNLOADS = Setting.choice("FILES_S3_DOWNLOAD",
            Map.of("proxy", Downloads.PROXY, "redirect", Downloads.REDIRECT), Downloads.PROXY, "proxy (content passes through this service) or redirect"
                    + " (clients are sent to a presigned URL of the bucket)");

    static final List<Setting<?>> DECLARED = List.of(BUCKET, PREFIX, REGION, ENDPOINT, PATH_STYLE, PART_SIZE,
            REQUEST_TIMEOUT, MAX_UPLOADS, CHECKSUMS, DOWNLOADS);

    static S3Settings read(Map<String, String> values) {
        String bucket = BUCKET.read(values);
        if (bucket == null) {
            throw new ConfigException(BUCKET.key() + " is required with " + ServiceConfiguration.STORAGE.key()
                    + "=s3: the name of an existing bucket");
        }
        URI endpoint = ENDPOINT.read(values);
        Boolean pathStyle = PATH_STYLE.read(values);
        return new S3Settings(bucket, values.getOrDefault(PREFIX.key(), PREFIX.fallback()), REGION.read(values),
                endpoint, pathStyle != null ? pathStyle : endpoint != null, PART_SIZE.read(values),
                Duration.ofSeconds(REQUEST_TIMEOUT.read(values)), MAX_UPLOADS.read(values).intValue(),
                CHECKSUMS.read(values), DOWNLOADS.read(values) == Downloads.REDIRECT);
    }
}
