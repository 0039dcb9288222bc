package dev.filestaging.app;

import dev.filestaging.adapter.jersey.HttpSettings;
import dev.filestaging.adapter.s3.ChecksumMode;
import dev.filestaging.adapter.s3.S3Settings;
import dev.filestaging.domain.ApiKeys;
import dev.filestaging.domain.Quotas;
import dev.filestaging.domain.TokenIssuance;
import dev.filestaging.ports.OrganizationId;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * Reads configuration from environment variables and, optionally, a properties file with the same keys
 * ({@code FILES_CONFIG_FILE} or {@code --config=FILE}). Environment variables win over the file. Every value is
 * checked; a bad one stops start-up with a message naming the key and what it accepts.
 */
public final class ConfigLoader {

    public static final String HOST = "FILES_HTTP_HOST";
    public static final String PORT = "FILES_HTTP_PORT";
    public static final String DATA_DIR = "FILES_DATA_DIR";
    public static final String STORAGE = "FILES_STORAGE";
    public static final String MAX_UPLOAD = "FILES_MAX_UPLOAD_BYTES";
    public static final String QUOTA = "FILES_QUOTA_BYTES";
    public static final String BOOTSTRAP_KEY = "FILES_BOOTSTRAP_API_KEY";
    public static final String WORKER_THREADS = "FILES_HTTP_WORKER_THREADS";
    public static final String IDLE_TIMEOUT = "FILES_HTTP_IDLE_TIMEOUT_SECONDS";
    public static final String MIN_UPLOAD_RATE = "FILES_HTTP_MIN_UPLOAD_BYTES_PER_SECOND";
    public static final String MAX_CONCURRENT_UPLOADS = "FILES_HTTP_MAX_CONCURRENT_UPLOADS";
    public static final String SHUTDOWN_GRACE = "FILES_HTTP_SHUTDOWN_GRACE_SECONDS";
    public static final String CONFIG_FILE = "FILES_CONFIG_FILE";
    public static final String LINK_MAX_LIFETIME = "FILES_LINK_MAX_LIFETIME_SECONDS";
    public static final String PUBLIC_URL = "FILES_PUBLIC_URL";
    public static final String TOKEN_LIFETIME = "FILES_OAUTH_TOKEN_LIFETIME_SECONDS";
    public static final String CLOCK_SKEW = "FILES_OAUTH_CLOCK_SKEW_SECONDS";
    /** OAuth clients, in the config file only: {@code FILES_OAUTH_CLIENT.<client id>=<organization>|<roles>|<secret>}. */
    public static final String OAUTH_CLIENT_PREFIX = "FILES_OAUTH_CLIENT.";
    /** External issuers, in the config file only: {@code FILES_OIDC_ISSUER.<name>.<url|audience|...>=value}. */
    public static final String OIDC_ISSUER_PREFIX = "FILES_OIDC_ISSUER.";
    public static final String S3_BUCKET = "FILES_S3_BUCKET";
    public static final String S3_PREFIX = "FILES_S3_PREFIX";
    public static final String S3_REGION = "FILES_S3_REGION";
    public static final String S3_ENDPOINT = "FILES_S3_ENDPOINT";
    public static final String S3_PATH_STYLE = "FILES_S3_PATH_STYLE";
    public static final String S3_PART_SIZE = "FILES_S3_PART_SIZE_BYTES";
    public static final String S3_REQUEST_TIMEOUT = "FILES_S3_REQUEST_TIMEOUT_SECONDS";
    public static final String S3_REQUIRE_CONDITIONAL_WRITES = "FILES_S3_REQUIRE_CONDITIONAL_WRITES";
    public static final String S3_ORPHAN_AGE = "FILES_S3_ORPHAN_AGE_HOURS";
    public static final String S3_MAX_UPLOADS = "FILES_S3_MAX_CONCURRENT_UPLOADS";
    public static final String S3_INSTANCE_TIMEOUT = "FILES_S3_INSTANCE_TIMEOUT_SECONDS";
    public static final String S3_CHECKSUMS = "FILES_S3_CHECKSUMS";
    public static final String S3_DOWNLOAD = "FILES_S3_DOWNLOAD";
    /** Per-organization quota, in the config file only: {@code FILES_QUOTA_BYTES.<organization>=bytes}. */
    public static final String ORG_QUOTA_PREFIX = QUOTA + ".";

    /** Every key this loader reads (the prefixed families aside); the README documents each (ReadmeConfigurationTest). */
    static final Set<String> KEYS = Set.of(HOST, PORT, DATA_DIR, STORAGE, MAX_UPLOAD, QUOTA, BOOTSTRAP_KEY,
            WORKER_THREADS, IDLE_TIMEOUT, MIN_UPLOAD_RATE, MAX_CONCURRENT_UPLOADS, SHUTDOWN_GRACE, S3_BUCKET, S3_PREFIX, S3_REGION, S3_ENDPOINT, S3_PATH_STYLE, S3_PART_SIZE,
            S3_REQUEST_TIMEOUT, S3_REQUIRE_CONDITIONAL_WRITES, S3_ORPHAN_AGE, S3_MAX_UPLOADS, S3_INSTANCE_TIMEOUT, S3_CHECKSUMS, S3_DOWNLOAD,
            PUBLIC_URL, TOKEN_LIFETIME, CLOCK_SKEW, LINK_MAX_LIFETIME);

    /** Reads the configuration for a process with this environment and, if non-null, this config file. */
    public AppConfig load(Map<String, String> environment, Path configFileArgument) {
        Map<String, String> values = new LinkedHashMap<>();
        Path configFile = configFileArgument != null ? configFileArgument
                : environment.containsKey(CONFIG_FILE) ? Path.of(environment.get(CONFIG_FILE)) : null;
        if (configFile != null) {
            values.putAll(readFile(configFile));
        }
        environment.forEach((key, value) -> {
            if (KEYS.contains(key)) {
                values.put(key, value);
            }
        });
        // The AWS SDK's own variable, as a default for the bucket's region.
        if (!values.containsKey(S3_REGION) && environment.containsKey("AWS_REGION")) {
            values.put(S3_REGION, environment.get("AWS_REGION"));
        }
        return parse(values);
    }

    /**
     * A warning for each {@code FILES_*} environment variable that is no setting (a typo would otherwise be ignored
     * in silence), naming the closest known key.
     */
    public static List<String> unknownVariables(Map<String, String> environment) {
        List<String> warnings = new ArrayList<>();
        new java.util.TreeSet<>(environment.keySet()).forEach(name -> {
            if (name.startsWith("FILES_") && !KEYS.contains(name) && !name.equals(CONFIG_FILE)) {
                String closest = KEYS.stream().min(java.util.Comparator.comparingInt(key -> distance(key, name)))
                        .orElseThrow();
                warnings.add("the environment variable " + name + " is no setting and is ignored; did you mean "
                        + closest + "?");
            }
        });
        return warnings;
    }

    /** Levenshtein distance: the fewest one-character edits between two names. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static Map<String, String> readFile(Path file) {
        if (!Files.exists(file)) {
            throw new ConfigException("the config file " + file.toAbsolutePath() + " does not exist");
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new ConfigException("cannot read the config file " + file.toAbsolutePath() + ": " + e.getMessage());
        }
        Map<String, String> values = new HashMap<>();
        for (String key : properties.stringPropertyNames()) {
            if (!KEYS.contains(key) && !key.startsWith(ORG_QUOTA_PREFIX) && !key.startsWith(OAUTH_CLIENT_PREFIX)
                    && !key.startsWith(OIDC_ISSUER_PREFIX)) {
                throw new ConfigException("unknown key " + key + " in " + file.toAbsolutePath()
                        + "; known keys: " + String.join(", ", new java.util.TreeSet<>(KEYS))
                        + ", " + ORG_QUOTA_PREFIX + "<organization>, " + OAUTH_CLIENT_PREFIX + "<client id>, "
                        + OIDC_ISSUER_PREFIX + "<name>.<setting>");
            }
            values.put(key, properties.getProperty(key).strip());
        }
        return values;
    }

    private static AppConfig parse(Map<String, String> values) {
        String host = values.getOrDefault(HOST, "127.0.0.1");
        if (host.isBlank()) {
            throw new ConfigException(HOST + " must be a host name or IP address to listen on, such as 127.0.0.1 or 0.0.0.0");
        }
        int port = (int) number(values, PORT, 8080, 0, 65535, "a TCP port from 0 to 65535 (0 picks a free one)");
        Path dataDirectory = Path.of(values.getOrDefault(DATA_DIR, "data"));
        StorageKind storage = storage(values.getOrDefault(STORAGE, "local"));
        long maxUpload = number(values, MAX_UPLOAD, 2L * 1024 * 1024 * 1024, 1, Long.MAX_VALUE,
                "a positive number of bytes (default 2147483648, 2 GiB)");
        long quota = number(values, QUOTA, Quotas.POLARIS_DEFAULT_BYTES, 0, Long.MAX_VALUE,
                "a number of bytes, 0 or more (default 1000000000000)");
        int workers = (int) number(values, WORKER_THREADS, 64, 2, 10_000, "a number of threads from 2 to 10000");
        Duration idleTimeout = Duration.ofSeconds(number(values, IDLE_TIMEOUT, 30, 1, 3600,
                "a number of seconds from 1 to 3600 (default 30)"));
        long minUploadRate = number(values, MIN_UPLOAD_RATE, 1024, 0, 1L << 30,
                "a number of bytes per second, 0 to turn the check off (default 1024)");
        int uploads = (int) number(values, MAX_CONCURRENT_UPLOADS, 0, 0, workers - 1, "a number of uploads from 1 to "
                + (workers - 1) + " (fewer than " + WORKER_THREADS + ", " + workers + "), or 0 for "
                + HttpSettings.defaultMaxConcurrentUploads(workers) + ", three quarters of the workers (default 0)");
        Duration shutdownGrace = Duration.ofSeconds(number(values, SHUTDOWN_GRACE, 30, 0, 3600,
                "a number of seconds from 0 to 3600 (default 30)"));
        Map<OrganizationId, Long> orgQuotas = new HashMap<>();
        values.forEach((key, value) -> {
            if (key.startsWith(ORG_QUOTA_PREFIX)) {
                String org = key.substring(ORG_QUOTA_PREFIX.length());
                OrganizationId id;
                try {
                    id = new OrganizationId(org);
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(key + ": " + e.getMessage());
                }
                orgQuotas.put(id, number(values, key, 0, 0, Long.MAX_VALUE, "a number of bytes, 0 or more"));
            }
        });
        String bootstrapKey = values.get(BOOTSTRAP_KEY);
        if (bootstrapKey != null && bootstrapKey.isEmpty()) {
            bootstrapKey = null;
        }
        if (bootstrapKey != null && (bootstrapKey.length() < ApiKeys.MIN_CONFIGURED_LENGTH
                || !bootstrapKey.chars().allMatch(c -> c > 0x20 && c < 0x7F && c != ':'))) {
            throw new ConfigException(BOOTSTRAP_KEY + " must be at least " + ApiKeys.MIN_CONFIGURED_LENGTH
                    + " printable ASCII characters without spaces or ':' (generate one with: openssl rand -hex 32)");
        }
        S3Settings s3 = storage == StorageKind.S3 ? s3(values) : null;
        String publicUrl = values.getOrDefault(PUBLIC_URL, "").strip();
        Optional<String> configuredPublicUrl = publicUrl.isEmpty() ? Optional.empty()
                : Optional.of(publicUrl.replaceAll("/+$", ""));
        if (publicUrl.isEmpty()) {
            publicUrl = "http://" + ("0.0.0.0".equals(host) ? "127.0.0.1" : host) + ":" + port;
        } else if (!publicUrl.matches("https?://[^/?#]+(/[^?#]*)?")) {
            throw new ConfigException(PUBLIC_URL + " must be the http(s) URL clients use to reach this service, such as"
                    + " https://files.example.com, got '" + publicUrl + "'");
        }
        OAuthSettings oauth = new OAuthSettings(publicUrl.replaceAll("/+$", ""),
                Duration.ofSeconds(number(values, TOKEN_LIFETIME, TokenIssuance.DEFAULT_LIFETIME.toSeconds(), 10, 86_400,
                        "a number of seconds from 10 to 86400 (default 300)")),
                Duration.ofSeconds(number(values, CLOCK_SKEW, 30, 0, 300, "a number of seconds from 0 to 300 (default 30)")),
                OAuthSettings.declaredClients(values, OAUTH_CLIENT_PREFIX),
                OAuthSettings.externalIssuers(values, OIDC_ISSUER_PREFIX));
        Duration linkMaxLifetime = Duration.ofSeconds(number(values, LINK_MAX_LIFETIME, 604_800, 1, 31_536_000,
                "a number of seconds from 1 to 31536000 (default 604800, a week)"));
        return new AppConfig(host, port, dataDirectory, storage, maxUpload, quota, orgQuotas, bootstrapKey, workers, idleTimeout,
                minUploadRate, s3, oauth, uploads, shutdownGrace, configuredPublicUrl, linkMaxLifetime);
    }

    private static S3Settings s3(Map<String, String> values) {
        String bucket = values.getOrDefault(S3_BUCKET, "").strip();
        if (bucket.isEmpty()) {
            throw new ConfigException(S3_BUCKET + " is required with " + STORAGE + "=s3: the name of an existing bucket");
        }
        URI endpoint = null;
        String rawEndpoint = values.getOrDefault(S3_ENDPOINT, "").strip();
        if (!rawEndpoint.isEmpty()) {
            try {
                endpoint = new URI(rawEndpoint);
            } catch (URISyntaxException e) {
                endpoint = null;
            }
            if (endpoint == null || endpoint.getHost() == null
                    || !("http".equals(endpoint.getScheme()) || "https".equals(endpoint.getScheme()))) {
                throw new ConfigException(S3_ENDPOINT + " must be an http:// or https:// URL of an S3-compatible"
                        + " store, such as http://127.0.0.1:9000, got '" + rawEndpoint + "'");
            }
        }
        // S3-compatible stores mostly serve buckets as paths; AWS prefers virtual hosts.
        boolean pathStyle = bool(values, S3_PATH_STYLE, endpoint != null);
        long partSize = number(values, S3_PART_SIZE, S3Settings.DEFAULT_PART_SIZE_BYTES, S3Settings.MIN_PART_SIZE_BYTES,
                5L * 1024 * 1024 * 1024, "a part size in bytes from 5242880 (5 MiB) to 5 GiB (default 8388608)");
        long timeout = number(values, S3_REQUEST_TIMEOUT, S3Settings.DEFAULT_REQUEST_TIMEOUT.toSeconds(), 1, 3600,
                "a number of seconds from 1 to 3600 (default 10)");
        long orphanAge = number(values, S3_ORPHAN_AGE, S3Settings.DEFAULT_ORPHAN_AGE.toHours(), 1, 24 * 365,
                "a number of hours, at least 1 and longer than any upload takes (default 24)");
        return new S3Settings(bucket, values.getOrDefault(S3_PREFIX, ""),
                values.getOrDefault(S3_REGION, "us-east-1").strip(), endpoint, pathStyle, partSize,
                Duration.ofSeconds(timeout), bool(values, S3_REQUIRE_CONDITIONAL_WRITES, true),
                Duration.ofHours(orphanAge),
                (int) number(values, S3_MAX_UPLOADS, 0, 0, 10_000,
                        "a number of uploads from 1 to 10000, or 0 for as many as half the heap holds (default 0)"),
                Duration.ofSeconds(number(values, S3_INSTANCE_TIMEOUT, S3Settings.DEFAULT_INSTANCE_TIMEOUT.toSeconds(), 2,
                        3600, "a number of seconds from 2 to 3600 (default 60)")),
                checksums(values.getOrDefault(S3_CHECKSUMS, "auto")), redirectDownloads(values));
    }

    private static boolean redirectDownloads(Map<String, String> values) {
        return switch (values.getOrDefault(S3_DOWNLOAD, "proxy").strip().toLowerCase(Locale.ROOT)) {
            case "proxy", "" -> false;
            case "redirect" -> true;
            default -> throw new ConfigException(S3_DOWNLOAD + " must be proxy (content passes through this service)"
                    + " or redirect (clients are sent to a presigned URL of the bucket), got '" + values.get(S3_DOWNLOAD)
                    + "'");
        };
    }

    private static ChecksumMode checksums(String value) {
        try {
            return ChecksumMode.fromWireName(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(S3_CHECKSUMS + " must be auto, when_required or when_supported, got '" + value + "'");
        }
    }

    private static boolean bool(Map<String, String> values, String key, boolean fallback) {
        String raw = values.getOrDefault(key, "").strip().toLowerCase(Locale.ROOT);
        return switch (raw) {
            case "" -> fallback;
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new ConfigException(key + " must be true or false, got '" + values.get(key) + "'");
        };
    }

    private static StorageKind storage(String value) {
        try {
            return StorageKind.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(STORAGE + " must be 'local' or 's3', got '" + value + "'");
        }
    }

    private static long number(Map<String, String> values, String key, long fallback, long min, long max, String accepted) {
        String raw = values.get(key);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            long value = Long.parseLong(raw.strip().replace("_", ""));
            if (value < min || value > max) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new ConfigException(key + " must be " + accepted + ", got '" + raw + "'");
        }
    }
}
