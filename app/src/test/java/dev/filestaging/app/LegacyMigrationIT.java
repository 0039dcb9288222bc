package dev.filestaging.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.filestaging.adapter.postgres.PostgresCatalog;
import dev.filestaging.adapter.postgres.PostgresServer;
import dev.filestaging.adapter.s3.blob.S3BlobStore;
import dev.filestaging.adapter.s3.client.S3Settings;
import dev.filestaging.adapter.s3.legacy.LegacyBucket;
import dev.filestaging.adapter.s3.legacy.LegacyMigration;
import dev.filestaging.adapter.s3.legacy.MigrationReport;
import dev.filestaging.adapter.s3.legacy.ServingInstances;
import dev.filestaging.adapter.s3.testing.S3TestServer;
import dev.filestaging.adapter.s3.testing.S3TestServerExtension;
import dev.filestaging.ports.NameGlob;
import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.ProjectId;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.StoredFile;
import dev.filestaging.ports.out.catalog.CatalogFile;
import dev.filestaging.ports.out.catalog.UploadEntry;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * {@link LegacyMigration} on the committed bucket of the retired bucket-only catalog ({@link LegacyBucket the
 * fixture}) loaded into S3Proxy, into a real PostgreSQL catalog, checked underneath: the catalog's files, blobs,
 * uploads and small records against what the writer saw, a second run that changes nothing, a run cut off after a few
 * files that a re-run completes, and the refusal while instances still serve the bucket.
 */
class LegacyMigrationIT {

    @RegisterExtension
    static final S3TestServerExtension S3 = new S3TestServerExtension();

    private static dev.filestaging.app.LegacyBucket fixture;

    private String bucket;
    private S3Settings settings;
    private PostgresCatalog catalog;
    private S3BlobStore blobs;
    private LegacyBucket legacy;

    @BeforeAll
    static void readFixture() throws Exception {
        // its tus uploads would expire a year after it was written: renewed, so the test does not depend on its age
        fixture = dev.filestaging.app.LegacyBucket.read().renewed(Instant.now());
    }

    @BeforeEach
    void loadFixture() {
        bucket = S3.newBucket("legacy");
        fixture.load(S3.server(), bucket);
        settings = new S3Settings(bucket, "staging", S3TestServer.REGION, S3.server().endpoint(), true,
                S3Settings.MIN_PART_SIZE_BYTES, Duration.ofSeconds(5));
        catalog = PostgresCatalog.open(PostgresServer.shared().newDatabase(), PostgresServer.USER, null);
        blobs = S3BlobStore.open(settings);
        legacy = LegacyBucket.open(settings);
    }

    @AfterEach
    void close() {
        legacy.close();
        blobs.close();
        catalog.close();
    }

    private MigrationReport migrate(LegacyMigration.Progress progress) {
        return new LegacyMigration(legacy, catalog, catalog, blobs, Clock.systemUTC())
                .run(new LegacyMigration.Options(false), progress);
    }

    @Test
    void every_file_open_upload_and_record_of_the_bucket_reaches_the_catalog_and_a_second_run_changes_nothing()
            throws Exception {
        assertThat(LegacyMigration.pending(legacy, catalog)).hasValueSatisfying(why ->
                assertThat(why).contains("files-app catalog migrate"));

        MigrationReport first = migrate(LegacyMigration.Progress.NONE);

        assertThat(first.complete()).as(first.lines().toString()).isTrue();
        assertThat(first.filesCopied()).isEqualTo(9);
        assertThat(first.uploadsImported()).isEqualTo(2);
        assertThat(first.finishedUploads()).isEqualTo(1);
        assertThat(first.recordsCopied()).isEqualTo(6);
        assertThat(first.conflicts()).isEmpty();
        assertThat(LegacyMigration.pending(legacy, catalog)).isEmpty();
        assertCatalogHoldsTheFixture();
        Map<String, Long> logs = changeLogLengths();

        MigrationReport second = migrate(LegacyMigration.Progress.NONE);

        assertThat(second.changedAnything()).as(second.lines().toString()).isFalse();
        assertThat(second.complete()).isTrue();
        assertThat(second.filesUnchanged()).isEqualTo(9);
        assertThat(second.uploadsUnchanged()).isEqualTo(2);
        assertThat(second.recordsUnchanged()).isEqualTo(6);
        assertThat(changeLogLengths()).isEqualTo(logs);
        assertCatalogHoldsTheFixture();
        assertThat(fixture.objects.keySet()).as("the legacy objects are left as they were")
                .allSatisfy(key -> assertThat(S3.server().client().getObjectAsBytes(b -> b.bucket(bucket).key(key))
                        .asByteArray()).isEqualTo(fixture.objects.get(key).bytes()));
    }

    @Test
    void a_run_cut_off_after_four_files_is_completed_by_the_next_and_the_one_after_changes_nothing() throws Exception {
        AtomicInteger copied = new AtomicInteger();
        assertThatThrownBy(() -> migrate((area, name) -> {
            if (copied.incrementAndGet() == 4) {
                throw new IllegalStateException("injected crash after 4 files");
            }
        })).hasMessageContaining("injected crash");
        assertThat(pages()).hasSize(4);
        assertThat(LegacyMigration.pending(legacy, catalog)).as("a cut-off run lets no server start").isPresent();

        MigrationReport resumed = migrate(LegacyMigration.Progress.NONE);

        assertThat(resumed.filesUnchanged()).isEqualTo(4);
        assertThat(resumed.filesCopied()).isEqualTo(5);
        assertThat(resumed.uploadsImported()).isEqualTo(2);
        assertThat(resumed.complete()).isTrue();
        assertCatalogHoldsTheFixture();
        assertThat(migrate(LegacyMigration.Progress.NONE).changedAnything()).isFalse();
    }

    @Test
    void a_name_the_catalog_holds_as_another_version_is_a_conflict_left_to_the_operator() throws Exception {
        StagingArea area = area("acme/default");
        StoredFile legacyFile = legacy.files(area).get(0).file();
        StoredFile other = new StoredFile(java.util.UUID.randomUUID(), legacyFile.key(), 0, null, null,
                legacyFile.digest(), "someone-else", legacyFile.uploadedOn());
        blobs.create("other-version-blob-0001").finish();
        catalog.commit(new CatalogFile(other, "other-version-blob-0001"), Long.MAX_VALUE);

        MigrationReport report = migrate(LegacyMigration.Progress.NONE);

        assertThat(report.complete()).isFalse();
        assertThat(report.conflicts()).singleElement().asString().contains("acme/default 'acme.csv'")
                .contains(other.id().toString());
        assertThat(catalog.find(legacyFile.key()).orElseThrow().file()).isEqualTo(other);
        assertThat(LegacyMigration.pending(legacy, catalog)).isPresent();
    }

    @Test
    void a_heartbeat_that_changes_is_a_serving_instance_and_one_that_stands_still_is_not() throws Exception {
        String heartbeat = "staging/instances/7b0c1f5e-serving";
        put(heartbeat, "beat 1");
        AtomicBoolean beating = new AtomicBoolean(true);
        Thread beater = new Thread(() -> {
            for (int i = 2; beating.get(); i++) {
                put(heartbeat, "beat " + i);
                sleep(200);
            }
        });
        beater.start();
        try {
            assertThat(ServingInstances.watch(legacy, Duration.ofSeconds(2), d -> Thread.sleep(d.toMillis())))
                    .containsExactly("7b0c1f5e-serving");
        } finally {
            beating.set(false);
            beater.join();
        }
        long started = System.nanoTime();
        assertThat(ServingInstances.watch(legacy, Duration.ofSeconds(2), d -> Thread.sleep(d.toMillis()))).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    }

    // ---- what the catalog must hold ----

    private void assertCatalogHoldsTheFixture() throws Exception {
        JsonNode expected = fixture.expected;
        for (Map.Entry<String, JsonNode> listing : iterable(expected.get("listings").fields())) {
            StagingArea area = area(listing.getKey());
            List<CatalogFile> files = catalog.page(area, null, 1000, NameGlob.ANY);
            List<JsonNode> wanted = new ArrayList<>();
            listing.getValue().get("files").forEach(wanted::add);
            assertThat(files).extracting(f -> f.file().name())
                    .containsExactlyElementsOf(wanted.stream().map(f -> f.get("name").asText()).toList());
            for (int i = 0; i < files.size(); i++) {
                StoredFile file = files.get(i).file();
                JsonNode want = wanted.get(i);
                assertThat(file.id().toString()).isEqualTo(want.get("id").asText());
                assertThat(file.sizeBytes()).isEqualTo(want.get("sizeBytes").asLong());
                assertThat(file.digest().hash()).isEqualTo(want.get("digest").get("hash").asText());
                assertThat(file.dataFormat() == null ? null : file.dataFormat().wireName())
                        .isEqualTo(want.get("dataFormat").isNull() ? null : want.get("dataFormat").asText());
                assertThat(file.compressionFormat() == null ? null : file.compressionFormat().wireName())
                        .isEqualTo(want.get("compressionFormat").isNull() ? null
                                : want.get("compressionFormat").asText());
                assertThat(file.uploadedByUserId()).isEqualTo(want.get("uploadedByUserId").asText());
                assertThat(file.uploadedOn().toString()).isEqualTo(want.get("uploadedOnDatetime").asText());
                try (InputStream in = blobs.read(files.get(i).blobId(), 0, file.sizeBytes()).orElseThrow()) {
                    assertThat(E2e.md5(in)).isEqualTo(file.digest().hash());
                }
            }
            assertThat(catalog.usage(area).usedBytes())
                    .isEqualTo(files.stream().mapToLong(f -> f.file().sizeBytes()).sum());
        }
        String open = expected.get("openUpload").asText().replace("/v1/uploads/", "");
        UploadEntry upload = catalog.upload(open).orElseThrow();
        assertThat(upload.offset()).isEqualTo(expected.get("openUploadOffset").asLong());
        assertThat(upload.ticket().length()).isEqualTo(expected.get("openUploadLength").asLong());
        assertThat(upload.ticket().key().name()).isEqualTo("resume-me.csv");
        try (InputStream in = blobs.readDurable(upload.blobId(), upload.checkpoint())) {
            assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOf(dev.filestaging.app.LegacyBucket.rows(
                    expected.get("openUploadLength").asInt()), (int) upload.offset()));
        }
        UploadEntry deferred = catalog.upload(expected.get("deferredUpload").asText().replace("/v1/uploads/", ""))
                .orElseThrow();
        assertThat(deferred.offset()).isEqualTo(expected.get("deferredUploadOffset").asLong());
        assertThat(deferred.ticket().lengthDeferred()).isTrue();
        assertThat(catalog.isReserved(upload.ticket().key())).isTrue();
        for (Map.Entry<String, Map<String, String>> namespace : legacy.smallRecords().entrySet()) {
            assertThat(catalog.readAll(namespace.getKey())).containsAllEntriesOf(namespace.getValue());
        }
    }

    private List<CatalogFile> pages() {
        List<CatalogFile> all = new ArrayList<>();
        for (String area : List.of("acme/default", "default/analytics", "default/default")) {
            all.addAll(catalog.page(area(area), null, 1000, NameGlob.ANY));
        }
        return all;
    }

    private Map<String, Long> changeLogLengths() {
        Map<String, Long> lengths = new HashMap<>();
        for (String area : List.of("acme/default", "default/analytics", "default/default")) {
            lengths.put(area, (long) catalog.changes(area(area), 0, 1000).entries().size());
        }
        return lengths;
    }

    private static StagingArea area(String orgSlashProject) {
        String[] parts = orgSlashProject.split("/");
        return new StagingArea(new OrganizationId(parts[0]), new ProjectId(parts[1]));
    }

    private void put(String key, String text) {
        S3.server().client().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(text));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static <T> Iterable<T> iterable(java.util.Iterator<T> iterator) {
        return () -> iterator;
    }
}
