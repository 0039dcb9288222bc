package dev.filestaging.app;

import dev.filestaging.ports.OrganizationId;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The app's configuration, validated.
 *
 * @param bootstrapApiKey null when none is configured
 * @param organizationQuotas per-organization overrides of {@code quotaBytes}
 */
public record AppConfig(
        String host,
        int port,
        Path dataDirectory,
        StorageKind storage,
        long maxUploadBytes,
        long quotaBytes,
        Map<OrganizationId, Long> organizationQuotas,
        String bootstrapApiKey,
        int workerThreads) {

    public AppConfig {
        organizationQuotas = Map.copyOf(organizationQuotas);
    }

    public Optional<String> bootstrapApiKeyIfSet() {
        return Optional.ofNullable(bootstrapApiKey);
    }

    @Override
    public String toString() {
        return "AppConfig[host=" + host + ", port=" + port + ", dataDirectory=" + dataDirectory + ", storage=" + storage
                + ", maxUploadBytes=" + maxUploadBytes + ", quotaBytes=" + quotaBytes + ", organizationQuotas="
                + organizationQuotas + ", bootstrapApiKey=" + (bootstrapApiKey == null ? "unset" : "***")
                + ", workerThreads=" + workerThreads + "]";
    }
}
