package dev.filestaging.app.config;

import dev.filestaging.domain.credentials.ApiKeys;
import dev.filestaging.domain.quota.Quotas;
import dev.filestaging.ports.OrganizationId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The service's own settings, declared once: where files are kept, quotas, the bootstrap key, signed links. */
public final class ServiceConfiguration {
    private ServiceConfiguration() {}

    static final Setting<StorageKind> STORAGE = Setting.choice("FILES_STORAGE",
            Map.of("local", StorageKind.LOCAL, "s3", StorageKind.S3), StorageKind.LOCAL, "'local' or 's3'");
    static final Setting<Path> DATA_DIR = new Setting<>("FILES_DATA_DIR", "a directory", Path.of("data"), Path::of);
    static final Setting<Long> QUOTA = Setting.number("FILES_QUOTA_BYTES", 0, Long.MAX_VALUE,
            Quotas.POLARIS_DEFAULT_BYTES, "a number of bytes, 0 or more");
    /** Per-organization quota, in the config file only: {@code FILES_QUOTA_BYTES.<organization>=bytes}. */
    static final String ORG_QUOTA_PREFIX = QUOTA.key() + ".";
    static final Setting<String> BOOTSTRAP_KEY = new Setting<>("FILES_BOOTSTRAP_API_KEY", "at least "
            + ApiKeys.MIN_CONFIGURED_LENGTH + " printable ASCII characters without spaces or ':' (generate one with:"
            + " openssl rand -hex 32)", null, key -> {
                if (key.length() < ApiKeys.MIN_CONFIGURED_LENGTH
                        || !key.chars().allMatch(c -> c > 0x20 && c < 0x7F && c != ':')) {
                    throw new IllegalArgumentException("not a usable key");
                }
                return key;
            });
    static final Setting<Long> LINK_MAX_LIFETIME = Setting.number("FILES_LINK_MAX_LIFETIME_SECONDS", 1, 31_536_000,
            604_800L, "a number of seconds from 1 to 31536000 (604800 is a week)");

    static final Setting<Long> MAX_RESUMABLE_UPLOAD = Setting.number("FILES_MAX_RESUMABLE_UPLOAD_BYTES", 1,
            Long.MAX_VALUE, 100L * 1024 * 1024 * 1024, "a positive number of bytes (107374182400 is 100 GiB)");
    static final Setting<Long> UPLOAD_EXPIRY = Setting.number("FILES_UPLOAD_EXPIRY_HOURS", 1, 24 * 365, 24L,
            "a number of hours from 1 to 8760");

    static final Setting<Long> MAX_OPEN_UPLOADS = Setting.number("FILES_MAX_OPEN_UPLOADS", 1, 1_000_000,
            (long) dev.filestaging.domain.StagingService.DEFAULT_MAX_OPEN_UPLOADS,
            "a number of uploads from 1 to 1000000");

    static final List<Setting<?>> DECLARED = List.of(STORAGE, DATA_DIR, QUOTA, BOOTSTRAP_KEY, LINK_MAX_LIFETIME,
            MAX_RESUMABLE_UPLOAD, UPLOAD_EXPIRY, MAX_OPEN_UPLOADS);

    /** How resumable uploads are bounded: their size, how long one may stay idle, how many an area may have open. */
    public record Resumable(long maxBytes, Duration expiry, int maxOpenPerArea) {}

    static Resumable resumable(Map<String, String> values) {
        return new Resumable(MAX_RESUMABLE_UPLOAD.read(values), Duration.ofHours(UPLOAD_EXPIRY.read(values)),
                Math.toIntExact(MAX_OPEN_UPLOADS.read(values)));
    }

    static Map<OrganizationId, Long> organizationQuotas(Map<String, String> values) {
        Map<OrganizationId, Long> quotas = new HashMap<>();
        values.forEach((key, value) -> {
            if (key.startsWith(ORG_QUOTA_PREFIX)) {
                OrganizationId id;
                try {
                    id = new OrganizationId(key.substring(ORG_QUOTA_PREFIX.length()));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(key + ": " + e.getMessage());
                }
                quotas.put(id, Setting.number(key, 0, Long.MAX_VALUE, null, "a number of bytes, 0 or more").read(values));
            }
        });
        return quotas;
    }

    static Duration linkMaxLifetime(Map<String, String> values) {
        return Duration.ofSeconds(LINK_MAX_LIFETIME.read(values));
    }
}
