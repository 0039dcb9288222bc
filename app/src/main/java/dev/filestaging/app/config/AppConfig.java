package dev.filestaging.app.config;

import dev.filestaging.adapter.jersey.http.HttpSettings;
import dev.filestaging.adapter.s3.client.S3Settings;
import dev.filestaging.ports.OrganizationId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The app's configuration, validated.
 *
 * @param bootstrapApiKey null when none is configured
 * @param organizationQuotas per-organization overrides of {@code quotaBytes}
 * @param idleTimeout a request body that sends nothing for this long is given up
 * @param minUploadBytesPerSecond the slowest average upload rate accepted over each idle timeout; 0 for any
 * @param s3 where the bucket is, when {@code storage} is S3; null otherwise
 * @param maxConcurrentUploads uploads streaming at once, fewer than the worker threads; 0 for the default
 * @param shutdownGrace how long uploads in progress may take to finish once the process is asked to stop
 * @param publicUrl {@code FILES_PUBLIC_URL} when it is set
 * @param trustedProxies {@code FILES_TRUSTED_PROXIES}: whose {@code X-Forwarded-*} headers are believed
 * @param corsOrigins {@code FILES_HTTP_CORS_ORIGINS}: whose web pages may call the API
 * @param writeStallTimeout {@code FILES_HTTP_WRITE_STALL_SECONDS}: a response whose reader takes nothing this long is cut
 * @param linkMaxLifetime the longest a signed link may be valid
 * @param resumable how resumable uploads are bounded
 * @param catalog where names, files and uploads are recorded ({@code FILES_CATALOG})
 * @param events how long files and events are kept, where webhooks may deliver
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
        int workerThreads,
        Duration idleTimeout,
        long minUploadBytesPerSecond,
        S3Settings s3,
        OAuthSettings oauth,
        int maxConcurrentUploads,
        Duration shutdownGrace,
        Optional<String> publicUrl,
        Duration linkMaxLifetime,
        ServiceConfiguration.Resumable resumable,
        LogConfiguration.Logging logging,
        Optional<ManagementConfiguration.Management> management,
        java.util.List<String> trustedProxies,
        java.util.List<String> corsOrigins,
        Duration writeStallTimeout,
        CatalogConfiguration.Catalog catalog,
        EventsConfiguration.Events events) {

    public AppConfig {
        organizationQuotas = Map.copyOf(organizationQuotas);
        trustedProxies = java.util.List.copyOf(trustedProxies);
        corsOrigins = java.util.List.copyOf(corsOrigins);
    }

    /** How the HTTP server listens. */
    public HttpSettings http() {
        return new HttpSettings(host, port, maxUploadBytes, workerThreads, idleTimeout, minUploadBytesPerSecond,
                maxConcurrentUploads, shutdownGrace, publicUrl, trustedProxies, corsOrigins, writeStallTimeout);
    }

    public Optional<String> bootstrapApiKeyIfSet() {
        return Optional.ofNullable(bootstrapApiKey);
    }

    @Override
    public String toString() {
        return "AppConfig[host=" + host + ", port=" + port + ", dataDirectory=" + dataDirectory + ", storage=" + storage
                + ", maxUploadBytes=" + maxUploadBytes + ", quotaBytes=" + quotaBytes + ", organizationQuotas="
                + organizationQuotas + ", bootstrapApiKey=" + (bootstrapApiKey == null ? "unset" : "***")
                 + ", workerThreads=" + workerThreads + ", idleTimeout=" + idleTimeout
                + ", minUploadBytesPerSecond=" + minUploadBytesPerSecond + ", s3=" + s3 + ", oauth=" + oauth
                + ", maxConcurrentUploads=" + maxConcurrentUploads + ", shutdownGrace=" + shutdownGrace
                + ", publicUrl=" + publicUrl + ", linkMaxLifetime=" + linkMaxLifetime + ", resumable=" + resumable + ", trustedProxies=" + trustedProxies
                + ", corsOrigins=" + corsOrigins + ", writeStallTimeout=" + writeStallTimeout + ", catalog=" + catalog + ", events=" + events + "]";
    }

    /** Where files and credentials live. */
    public StorageSettings storageSettings() {
        return new StorageSettings(storage, dataDirectory, s3, catalog);
    }
}
