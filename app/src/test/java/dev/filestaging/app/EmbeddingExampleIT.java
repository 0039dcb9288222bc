package dev.filestaging.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.filestaging.adapter.localfs.LocalStorage;
import dev.filestaging.adapter.postgres.PostgresCatalog;
import dev.filestaging.adapter.postgres.PostgresServer;
import dev.filestaging.adapter.s3.blob.S3BlobStore;
import dev.filestaging.adapter.s3.client.S3Settings;
import dev.filestaging.adapter.s3.testing.S3TestServer;
import dev.filestaging.adapter.s3.testing.S3TestServerExtension;
import dev.filestaging.domain.StagingService;
import dev.filestaging.domain.quota.Quotas;
import dev.filestaging.domain.storage.CatalogStagingStore;
import dev.filestaging.domain.storage.StagingStore;
import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.Principal;
import dev.filestaging.ports.Role;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.in.UploadCommand;
import dev.filestaging.ports.in.UploadOutcome;
import dev.filestaging.ports.out.blob.BlobStore;
import dev.filestaging.ports.out.catalog.Catalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The README's embedding examples, compiled and run: the lines between {@code // README:} markers below are exactly
 * the README's (checked), so the README cannot show code that does not build or does not work.
 */
class EmbeddingExampleIT {

    @RegisterExtension
    static final S3TestServerExtension S3 = new S3TestServerExtension();

    @TempDir
    Path work;

    private final Principal principal = new Principal(new OrganizationId("acme"), "sa-1", Set.of(Role.MANAGE_FILES));
    private final StagingArea area = StagingArea.defaultProjectOf(new OrganizationId("acme"));
    private final InputStream inputStream = new ByteArrayInputStream(
            "{\"a\":1}\n{\"a\":2}\n".getBytes(StandardCharsets.UTF_8));

    @Test
    void the_local_disk_example_uploads_a_file() throws Exception {
        // README: embedding-local
        LocalStorage local = LocalStorage.open(work.resolve("data"));
        StagingStore store = new CatalogStagingStore(local.catalog(), local.blobs());
        StagingService files = StagingService.withDefaults(store, Quotas.uniform(1_000_000_000_000L));
        UploadOutcome outcome = files.upload(new UploadCommand(principal, area, "events.json", null, null, null, inputStream));
        // README: end
        assertThat(outcome).isInstanceOf(UploadOutcome.Uploaded.class);
        local.close();
    }

    @Test
    void the_postgres_and_s3_example_uploads_a_file() throws Exception {
        String jdbcUrl = PostgresServer.shared().newDatabase();
        String user = PostgresServer.USER;
        String password = PostgresServer.PASSWORD;
        String bucket = S3.newBucket("embedding");
        S3Settings s3Settings = new S3Settings(bucket, "", S3TestServer.REGION, S3.server().endpoint(), true,
                S3Settings.MIN_PART_SIZE_BYTES, Duration.ofSeconds(10));
        System.setProperty("aws.accessKeyId", S3TestServer.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", S3TestServer.SECRET_KEY);
        // README: embedding-postgres
        Catalog catalog = PostgresCatalog.open(jdbcUrl, user, password);
        BlobStore blobs = S3BlobStore.open(s3Settings);
        StagingStore store = new CatalogStagingStore(catalog, blobs);
        StagingService files = StagingService.withDefaults(store, Quotas.uniform(1_000_000_000_000L));
        UploadOutcome outcome = files.upload(new UploadCommand(principal, area, "events.json", null, null, null, inputStream));
        // README: end
        assertThat(outcome).isInstanceOf(UploadOutcome.Uploaded.class);
        assertThat(store.list(area)).singleElement().satisfies(file -> assertThat(file.sizeBytes()).isEqualTo(16));
        ((AutoCloseable) blobs).close();
        ((AutoCloseable) catalog).close();
    }

    @Test
    void the_readme_shows_exactly_these_examples() throws Exception {
        String readme = Files.readString(Path.of("../README.md"));
        for (String example : List.of("embedding-local", "embedding-postgres")) {
            assertThat(readme).as("the README's %s example", example).contains("```java\n" + example(example)
                    + "```\n");
        }
    }

    /** The lines of this file between {@code // README: name} and {@code // README: end}, unindented. */
    private static String example(String name) throws Exception {
        List<String> lines = Files.readAllLines(Path.of("src/test/java/dev/filestaging/app/EmbeddingExampleIT.java"));
        List<String> example = new ArrayList<>();
        boolean in = false;
        for (String line : lines) {
            String code = line.strip();
            if (code.equals("// README: " + name)) {
                in = true;
            } else if (in && code.equals("// README: end")) {
                break;
            } else if (in) {
                example.add(line.substring(8));
            }
        }
        assertThat(example).as(name).isNotEmpty();
        return String.join("\n", example) + "\n";
    }
}
