package dev.filestaging.app.cli;

import dev.filestaging.adapter.postgres.PostgresCatalog;
import dev.filestaging.adapter.postgres.PostgresSettings;
import dev.filestaging.adapter.s3.blob.S3BlobStore;
import dev.filestaging.adapter.s3.legacy.LegacyBucket;
import dev.filestaging.adapter.s3.legacy.LegacyMigration;
import dev.filestaging.adapter.s3.legacy.MigrationReport;
import dev.filestaging.adapter.s3.legacy.ServingInstances;
import dev.filestaging.app.config.CatalogConfiguration;
import dev.filestaging.app.config.CatalogKind;
import dev.filestaging.app.config.ConfigException;
import dev.filestaging.app.config.StorageKind;
import dev.filestaging.app.config.StorageSettings;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code catalog migrate}: copies what the retired bucket-only catalog kept in a bucket into the PostgreSQL catalog
 * (see {@link LegacyMigration}), with the same settings as {@code serve} ({@code FILES_STORAGE=s3}, the
 * {@code FILES_S3_*} of the bucket, {@code FILES_CATALOG=postgres} and {@code FILES_CATALOG_URL}). Refuses while
 * instances still serve the bucket, unless forced. Read-only on the legacy objects; says how to delete them.
 */
@Command(name = "catalog", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = "Manage the catalog (where names, files and uploads are recorded).")
final class CatalogCommand {
    private final Cli cli;

    CatalogCommand(Cli cli) {
        this.cli = cli;
    }

    @Command(name = "migrate", mixinStandardHelpOptions = true, description = {
            "Copy a bucket kept by the retired bucket-only catalog (FILES_STORAGE=s3 alone) into PostgreSQL:"
                    + " files (their bytes copied inside the store), open tus uploads (resumable where they stood),"
                    + " API keys, OAuth clients and keys. Safe to run again, also after a crash; a second run"
                    + " changes nothing. The legacy objects are left as they were.",
            "Settings as for serve: FILES_STORAGE=s3 and FILES_S3_*, FILES_CATALOG=postgres and FILES_CATALOG_URL."})
    int migrate(
            @Option(names = "--force", description = "Run even while the bucket's heartbeats say that instances"
                    + " still serve it (they would go on changing the bucket, and what they change after the copy"
                    + " is lost).") boolean force,
            @Option(names = "--skip-unimported-uploads", description = "Finish even when open uploads could not be"
                    + " imported (each is reported by id and name; their acknowledged bytes stay in the bucket only).")
            boolean skipUnimported,
            @Option(names = "--instance-timeout", paramLabel = "SECONDS", defaultValue = "60", description = "How"
                    + " long a heartbeat may stay unchanged before its instance counts as gone (the servers'"
                    + " FILES_S3_INSTANCE_TIMEOUT_SECONDS; default: ${DEFAULT-VALUE}).") long instanceTimeout)
            throws InterruptedException {
        StorageSettings settings = cli.storageSettings();
        if (settings.kind() != StorageKind.S3 || settings.catalog().kind() != CatalogKind.POSTGRES) {
            throw new ConfigException("catalog migrate copies a bucket into PostgreSQL: it needs FILES_STORAGE=s3"
                    + " with the bucket's FILES_S3_* settings, FILES_CATALOG=postgres and FILES_CATALOG_URL");
        }
        if (instanceTimeout < 1) {
            throw new ConfigException("--instance-timeout must be 1 second or more");
        }
        PrintStream out = cli.context().out();
        PrintStream err = cli.context().err();
        CatalogConfiguration.Postgres postgres = settings.catalog().postgres().orElseThrow();
        try (LegacyBucket legacy = LegacyBucket.open(settings.s3());
             S3BlobStore blobs = S3BlobStore.open(settings.s3());
             PostgresCatalog catalog = PostgresCatalog.open(postgres.url(), postgres.user(),
                     postgres.password().orElse(null))) {
            err.println("(from s3://" + legacy.bucket() + "/" + legacy.prefix() + " into PostgreSQL at "
                    + PostgresSettings.shown(postgres.url()) + ")");
            if (!force) {
                Duration timeout = Duration.ofSeconds(instanceTimeout);
                err.println("checking that no instance serves the bucket (heartbeats unchanged for "
                        + instanceTimeout + " s)...");
                List<String> serving = ServingInstances.watch(legacy, timeout, d -> Thread.sleep(d.toMillis()));
                if (!serving.isEmpty()) {
                    err.println("instances still serve the bucket (their heartbeats under " + legacy.prefix()
                            + "instances/ change): " + String.join(", ", serving) + ". Stop them first, or pass"
                            + " --force. Nothing was copied.");
                    return 1;
                }
            }
            MigrationReport report = new LegacyMigration(legacy, catalog, catalog, blobs, Clock.systemUTC())
                    .run(new LegacyMigration.Options(skipUnimported), LegacyMigration.Progress.NONE);
            report.lines().forEach(out::println);
            if (!report.complete()) {
                err.println("incomplete: resolve what is listed above (or pass --skip-unimported-uploads for"
                        + " uploads), then run catalog migrate again; servers refuse to start on this bucket"
                        + " until a run is complete.");
                return 1;
            }
            out.println(report.changedAnything() ? "done: servers may start with FILES_CATALOG=postgres."
                    : "nothing to do: the catalog had everything already.");
            out.println("The legacy objects were left as they were (a roll-back can still use them). Once satisfied,"
                    + " delete them, e.g. with the AWS CLI:");
            for (String prefix : legacy.legacyPrefixes()) {
                out.println("  aws s3 rm --recursive s3://" + legacy.bucket() + "/" + prefix);
            }
            return 0;
        }
    }
}
