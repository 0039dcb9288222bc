package dev.filestaging.app;

import dev.filestaging.adapter.localfs.LocalStorage;
import dev.filestaging.adapter.localfs.blob.LocalBlobStore;
import dev.filestaging.adapter.localfs.directory.LegacyApiKeyFile;
import dev.filestaging.adapter.localfs.records.LocalFsSmallRecordStore;
import dev.filestaging.adapter.postgres.PostgresCatalog;
import dev.filestaging.adapter.postgres.PostgresSettings;
import dev.filestaging.adapter.s3.blob.S3BlobStore;
import dev.filestaging.adapter.s3.legacy.LegacyBucket;
import dev.filestaging.adapter.s3.legacy.LegacyMigration;
import dev.filestaging.app.config.CatalogConfiguration;
import dev.filestaging.app.config.CatalogKind;
import dev.filestaging.app.config.ConfigException;
import dev.filestaging.app.config.StorageKind;
import dev.filestaging.app.config.StorageSettings;
import dev.filestaging.domain.credentials.ApiKeyRecords;
import dev.filestaging.domain.quota.Quotas;
import dev.filestaging.domain.storage.CatalogStagingStore;
import dev.filestaging.domain.storage.StagingStore;
import dev.filestaging.ports.out.ApiKeyRepository;
import dev.filestaging.ports.out.SmallRecordStore;
import dev.filestaging.ports.out.blob.BlobStore;
import dev.filestaging.ports.out.catalog.Catalog;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * The storage picked by {@code FILES_STORAGE} and {@code FILES_CATALOG}: where files and API keys live, and how to
 * say so at start-up. Local disk keeps both in the data directory; with a PostgreSQL catalog, names, uploads and
 * credentials are the database's and bytes the storage's (a bucket, or the data directory's blobs). API keys are
 * small records on both ({@link ApiKeyRecords}).
 */
public record Storage(StagingStore files, ApiKeyRepository apiKeys, SmallRecordStore records,
                      dev.filestaging.ports.out.events.WebhookStore webhooks, String description,
                      AutoCloseable resources) implements AutoCloseable {

    /** Opens the configured storage for serving (local disk: takes the data directory's lock). */
    static Storage open(StorageSettings config) {
        return open(config, null);
    }

    /**
     * The same, with the quotas a shared catalog checks at every commit against what all instances committed
     * (null: none, as for the credential commands, which stage nothing).
     */
    static Storage open(StorageSettings config, Quotas quotas) {
        return open(config, quotas, true);
    }

    /**
     * @param serving whether a server will serve it: then a bucket still kept by the retired bucket-only catalog is
     *                refused until {@code catalog migrate} has copied it (a credential command may run before)
     */
    private static Storage open(StorageSettings config, Quotas quotas, boolean serving) {
        if (config.catalog().kind() == CatalogKind.POSTGRES) {
            return catalogued(config, config.catalog().postgres().orElseThrow(), quotas, serving);
        }
        LocalStorage local = LocalStorage.open(config.dataDirectory());
        return new Storage(staging(local.catalog(), local.blobs(), quotas), localApiKeys(config.dataDirectory()),
                localRecords(config.dataDirectory()), local.catalog().webhooks(), "data in " + local.root()
                        + (local.imported() == 0 ? "" : ", " + local.imported()
                                + " files and uploads of an earlier version imported"), local);
    }

    /**
     * Opens only what managing credentials needs (API keys, OAuth clients, signing keys): on local disk their files,
     * safe while a server runs; with a PostgreSQL catalog the database, whatever the storage.
     */
    public static Storage forCredentials(StorageSettings config) {
        if (config.kind() == StorageKind.LOCAL && config.catalog().kind() == CatalogKind.LOCAL) {
            return new Storage(null, localApiKeys(config.dataDirectory()), localRecords(config.dataDirectory()), null,
                    "credentials in " + config.dataDirectory().toAbsolutePath().normalize(), () -> { });
        }
        return open(config, null, false);
    }

    /**
     * A PostgreSQL catalog and blobs in the configured storage (a bucket, or the data directory's {@code blobs}):
     * names, uploads, usage and credentials are the database's, bytes the storage's.
     */
    private static Storage catalogued(StorageSettings config, CatalogConfiguration.Postgres postgres,
                                      Quotas quotas, boolean serving) {
        PostgresCatalog catalog = PostgresCatalog.open(postgres.url(), postgres.user(),
                postgres.password().orElse(null));
        BlobStore blobs;
        String where;
        try {
            if (config.kind() == StorageKind.S3) {
                S3BlobStore bucket = S3BlobStore.open(config.s3());
                blobs = bucket;
                if (serving) {
                    refuseUnmigrated(config, catalog, bucket);
                }
                where = "bytes in s3://" + config.s3().bucket() + "/" + config.s3().prefix();
            } else {
                Path directory = config.dataDirectory().resolve("blobs");
                blobs = LocalBlobStore.open(directory);
                where = "bytes in " + directory.toAbsolutePath().normalize();
            }
        } catch (RuntimeException e) {
            catalog.close();
            throw e;
        }
        return new Storage(staging(catalog, blobs, quotas), new ApiKeyRecords(catalog, Clock.systemUTC()), catalog,
                catalog.webhooks(), "catalog in PostgreSQL at " + PostgresSettings.shown(postgres.url()) + ", " + where, () -> {
                    try {
                        ((AutoCloseable) blobs).close();
                    } finally {
                        catalog.close();
                    }
                });
    }

    /** The domain's store on a catalog and a blob store; uploads lease for a minute, renewed while they write. */
    private static CatalogStagingStore staging(Catalog catalog, BlobStore blobs, Quotas quotas) {
        return new CatalogStagingStore(catalog, blobs, Clock.systemUTC(), Duration.ofMinutes(1),
                area -> quotas == null ? Catalog.NO_LIMIT : quotas.allocatedBytes(area.organization()));
    }

    /**
     * Stops the start on a bucket whose files are still only the retired bucket-only catalog's: serving it with an
     * empty catalog would show an empty area (and let uploads take names the bucket holds).
     */
    private static void refuseUnmigrated(StorageSettings config, PostgresCatalog catalog, S3BlobStore bucket) {
        java.util.Optional<String> pending;
        try (LegacyBucket legacy = LegacyBucket.open(config.s3())) {
            pending = LegacyMigration.pending(legacy, catalog);
        }
        if (pending.isPresent()) {
            bucket.close();
            throw new ConfigException(pending.get());
        }
    }

    private static LocalFsSmallRecordStore localRecords(Path dataDirectory) {
        return new LocalFsSmallRecordStore(dataDirectory.resolve("records"));
    }

    /** API keys as records beside the others; a data directory of an older version has its key file imported. */
    private static ApiKeyRecords localApiKeys(Path dataDirectory) {
        LocalFsSmallRecordStore records = localRecords(dataDirectory);
        LegacyApiKeyFile.importInto(dataDirectory, records, ApiKeyRecords.NAMESPACE);
        return new ApiKeyRecords(records, Clock.systemUTC());
    }

    @Override
    public void close() {
        try {
            resources.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing storage failed", e);
        }
    }
}
