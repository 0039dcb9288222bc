package dev.filestaging.app.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
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

    public static final String CONFIG_FILE = "FILES_CONFIG_FILE";
    /** Every setting, each declared once beside the settings it makes (the prefixed families aside). */
    static final List<Setting<?>> SETTINGS = java.util.stream.Stream.of(HttpConfiguration.DECLARED,
            ServiceConfiguration.DECLARED, OAuthSettings.DECLARED, S3Configuration.DECLARED, LogConfiguration.DECLARED,
            ManagementConfiguration.DECLARED, CatalogConfiguration.DECLARED, EventsConfiguration.DECLARED)
            .flatMap(List::stream).toList();
    /** Every key this loader reads; the README documents each (ReadmeConfigurationTest). */
    static final Set<String> KEYS = SETTINGS.stream().map(Setting::key)
            .collect(java.util.stream.Collectors.toUnmodifiableSet());
    /** Settings that come in families, in the config file only: per-organization quotas, clients, issuers. */
    static final List<String> FAMILIES = List.of(ServiceConfiguration.ORG_QUOTA_PREFIX,
            OAuthSettings.OAUTH_CLIENT_PREFIX, OAuthSettings.OIDC_ISSUER_PREFIX);

    /** Reads the configuration for a process with this environment and, if non-null, this config file. */
    public AppConfig load(Map<String, String> environment, Path configFileArgument) {
        return parse(values(environment, configFileArgument));
    }

    /** Reads only the storage settings (and the logging), which is all a command managing credentials needs. */
    public StorageSettings loadStorage(Map<String, String> environment, Path configFileArgument) {
        return storage(values(environment, configFileArgument));
    }

    /** Reads only the logging settings, which apply before anything else is read. */
    LogConfiguration.Logging loadLogging(Map<String, String> environment, Path configFileArgument) {
        return LogConfiguration.read(values(environment, configFileArgument));
    }

    private static Map<String, String> values(Map<String, String> environment, Path configFileArgument) {
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
        if (!values.containsKey(S3Configuration.REGION.key()) && environment.containsKey("AWS_REGION")) {
            values.put(S3Configuration.REGION.key(), environment.get("AWS_REGION"));
        }
        return values;
    }

    private static StorageSettings storage(Map<String, String> values) {
        StorageKind kind = ServiceConfiguration.STORAGE.read(values);
        return new StorageSettings(kind, ServiceConfiguration.DATA_DIR.read(values),
                kind == StorageKind.S3 ? S3Configuration.read(values) : null, CatalogConfiguration.read(values, kind));
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
            if (!KEYS.contains(key) && FAMILIES.stream().noneMatch(key::startsWith)) {
                throw new ConfigException("unknown key " + key + " in " + file.toAbsolutePath()
                        + "; known keys: " + String.join(", ", new java.util.TreeSet<>(KEYS))
                        + ", " + ServiceConfiguration.ORG_QUOTA_PREFIX + "<organization>, "
                        + OAuthSettings.OAUTH_CLIENT_PREFIX + "<client id>, "
                        + OAuthSettings.OIDC_ISSUER_PREFIX + "<name>.<setting>");
            }
            values.put(key, properties.getProperty(key).strip());
        }
        return values;
    }

    private static AppConfig parse(Map<String, String> values) {
        String host = HttpConfiguration.HOST.read(values);
        int port = HttpConfiguration.PORT.read(values).intValue();
        int workers = HttpConfiguration.WORKER_THREADS.read(values).intValue();
        StorageKind storage = ServiceConfiguration.STORAGE.read(values);
        Optional<String> publicUrl = HttpConfiguration.publicUrl(values);
        String publicBaseUrl = publicUrl.orElse("http://" + ("0.0.0.0".equals(host) ? "127.0.0.1" : host) + ":" + port);
        return new AppConfig(host, port, ServiceConfiguration.DATA_DIR.read(values), storage,
                HttpConfiguration.MAX_UPLOAD.read(values), ServiceConfiguration.QUOTA.read(values),
                ServiceConfiguration.organizationQuotas(values), ServiceConfiguration.BOOTSTRAP_KEY.read(values), workers,
                HttpConfiguration.seconds(HttpConfiguration.IDLE_TIMEOUT, values),
                HttpConfiguration.MIN_UPLOAD_RATE.read(values),
                storage == StorageKind.S3 ? S3Configuration.read(values) : null,
                OAuthSettings.read(values, publicBaseUrl), HttpConfiguration.maxConcurrentUploads(values, workers),
                HttpConfiguration.seconds(HttpConfiguration.SHUTDOWN_GRACE, values), publicUrl,
                ServiceConfiguration.linkMaxLifetime(values), ServiceConfiguration.resumable(values),
                LogConfiguration.read(values), ManagementConfiguration.read(values),
                HttpConfiguration.TRUSTED_PROXIES.read(values), HttpConfiguration.CORS_ORIGINS.read(values),
                HttpConfiguration.seconds(HttpConfiguration.WRITE_STALL, values),
                CatalogConfiguration.read(values, storage), EventsConfiguration.read(values));
    }
}
