package dev.filestaging.app.config;

import dev.filestaging.adapter.s3.client.S3Settings;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where files and credentials live: all that the commands managing credentials need, so they do not ask for a
 * server's settings.
 *
 * @param s3 the bucket's settings with {@code FILES_STORAGE=s3}, else null
 * @param catalog where names, files and uploads are recorded
 */
public record StorageSettings(StorageKind kind, Path dataDirectory, S3Settings s3, CatalogConfiguration.Catalog catalog) {
    public StorageSettings {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        Objects.requireNonNull(catalog, "catalog");
        if (kind == StorageKind.S3) {
            Objects.requireNonNull(s3, "s3");
        }
    }
}
