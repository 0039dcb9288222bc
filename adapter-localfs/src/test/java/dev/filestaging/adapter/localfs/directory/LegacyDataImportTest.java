package dev.filestaging.adapter.localfs.directory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.filestaging.adapter.localfs.LocalStorage;
import dev.filestaging.ports.DataFormat;
import dev.filestaging.ports.Digest;
import dev.filestaging.ports.FileKey;
import dev.filestaging.ports.NameGlob;
import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.StoredFile;
import dev.filestaging.ports.out.UploadTicket;
import dev.filestaging.ports.out.catalog.Catalog;
import dev.filestaging.ports.out.catalog.CatalogFile;
import dev.filestaging.ports.out.catalog.UploadEntry;
import dev.filestaging.storage.records.StoredFileRecord;
import dev.filestaging.storage.records.UploadTicketRecord;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The import of a data directory written before the catalog, written here in that layout ({@code staging/} and
 * {@code uploads/}, records as {@link StoredFileRecord} and {@link UploadTicketRecord} encode them), including the
 * states a crash in the middle of an earlier import leaves. The whole round trip with the earlier version's own jar is
 * {@code LocalUpgradeIT} in the app.
 */
class LegacyDataImportTest {
    private static final StagingArea AREA = StagingArea.defaultProjectOf(new OrganizationId("acme"));
    private static final Instant WHEN = Instant.parse("2026-12-01T10:00:00.123456789Z");

    @TempDir
    Path data;

    @Test
    void files_and_open_uploads_move_into_the_catalog_and_blobs_and_the_old_layout_goes() throws Exception {
        StoredFile a = legacyFile("a.csv", "a,b\n1,2\n");
        StoredFile b = legacyFile("名前 b.json", "{}\n");
        UploadTicket open = legacyUpload("c.csv", 20, "id,name,val", 11);

        try (LocalStorage storage = LocalStorage.open(data)) {
            assertThat(storage.imported()).isEqualTo(3);
            assertFile(storage, a, "a,b\n1,2\n");
            assertFile(storage, b, "{}\n");
            UploadEntry entry = storage.catalog().upload(open.id()).orElseThrow();
            assertThat(entry.checkpoint().offset()).isEqualTo(11);
            assertThat(entry.ticket()).isEqualTo(open);
            try (InputStream durable = storage.blobs().readDurable(entry.blobId(), entry.checkpoint())) {
                assertThat(new String(durable.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("id,name,val");
            }
            assertThat(storage.catalog().usage(AREA).files()).isEqualTo(2);
            assertThat(storage.catalog().usage(AREA).heldBytes()).isEqualTo(20);
        }
        try (Stream<Path> top = Files.list(data)) {
            assertThat(top.map(p -> p.getFileName().toString())).doesNotContain("uploads", "quarantine");
        }
        assertThat(data.resolve("staging")).as("the guard that keeps the earlier version off").isRegularFile();
        try (LocalStorage again = LocalStorage.open(data)) {
            assertThat(again.imported()).isZero();
            assertThat(again.catalog().page(AREA, null, 10, NameGlob.ANY)).hasSize(2);
        }
    }

    @Test
    void an_import_cut_short_after_any_step_is_completed_by_the_next_start() throws Exception {
        StoredFile committedOnly = legacyFile("committed-only.csv", "1\n");
        StoredFile moved = legacyFile("moved.csv", "22\n");
        StoredFile untouched = legacyFile("untouched.csv", "333\n");
        UploadTicket reservedOnly = legacyUpload("reserved-only.csv", 10, "abcdefgh", 4);
        // what an import left when it stopped: a file in the catalog, not moved; one moved, its directory still there
        try (LocalStorage first = LocalStorage.open(Files.createTempDirectory("elsewhere"))) {
            assertThat(first.imported()).isZero();
        }
        Path catalogFile = data.resolve("catalog.db");
        try (dev.filestaging.adapter.localfs.catalog.LocalCatalog catalog =
                     dev.filestaging.adapter.localfs.catalog.LocalCatalog.open(catalogFile)) {
            commit(catalog, committedOnly);
            commit(catalog, moved);
            catalog.reserve(reservedOnly, LegacyDataImport.uploadBlobId(reservedOnly.id()),
                    new dev.filestaging.ports.out.blob.BlobCheckpoint(4, ""), Catalog.NO_LIMIT, Catalog.NO_LIMIT);
        }
        Files.createDirectories(data.resolve("blobs"));
        Path movedDirectory = data.resolve("staging/acme/default").resolve(moved.key().nameDigest());
        Files.move(movedDirectory.resolve("content"), data.resolve("blobs")
                .resolve(LegacyDataImport.fileBlobId(moved.id())));

        try (LocalStorage storage = LocalStorage.open(data)) {
            assertFile(storage, committedOnly, "1\n");
            assertFile(storage, moved, "22\n");
            assertFile(storage, untouched, "333\n");
            assertThat(storage.catalog().usage(AREA).files()).isEqualTo(3);
            UploadEntry entry = storage.catalog().upload(reservedOnly.id()).orElseThrow();
            try (InputStream durable = storage.blobs().readDurable(entry.blobId(), entry.checkpoint())) {
                assertThat(new String(durable.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("abcd");
            }
        }
        assertThat(data.resolve("staging")).isRegularFile();
    }

    @Test
    void a_damaged_or_misplaced_file_is_quarantined_and_the_rest_imported() throws Exception {
        StoredFile good = legacyFile("good.csv", "ok\n");
        StoredFile wrongSize = legacyFile("wrong-size.csv", "12345\n");
        Files.writeString(data.resolve("staging/acme/default").resolve(wrongSize.key().nameDigest())
                .resolve("content"), "1");
        Path damaged = Files.createDirectories(data.resolve("staging/acme/default/" + "f".repeat(64)));
        Files.writeString(damaged.resolve("metadata.properties"), "not a record");

        try (LocalStorage storage = LocalStorage.open(data)) {
            assertFile(storage, good, "ok\n");
            assertThat(storage.catalog().find(wrongSize.key())).isEmpty();
            assertThat(storage.catalog().usage(AREA).files()).isEqualTo(1);
        }
        try (Stream<Path> quarantined = Files.list(data.resolve("quarantine"))) {
            assertThat(quarantined).hasSize(2);
        }
    }

    private static void commit(Catalog catalog, StoredFile file) {
        catalog.commit(new CatalogFile(file, LegacyDataImport.fileBlobId(file.id())), Catalog.NO_LIMIT);
    }

    private static void assertFile(LocalStorage storage, StoredFile file, String content) throws Exception {
        CatalogFile found = storage.catalog().find(file.key()).orElseThrow();
        assertThat(found.file()).isEqualTo(file);
        try (InputStream in = storage.blobs().read(found.blobId(), 0, file.sizeBytes()).orElseThrow()) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(content);
        }
    }

    /** A committed file as the earlier version kept it: staging/{org}/{project}/{sha256}/content, metadata. */
    private StoredFile legacyFile(String name, String content) throws Exception {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        FileKey key = new FileKey(AREA, name);
        StoredFile file = new StoredFile(UUID.randomUUID(), key, bytes.length, DataFormat.CSV, null,
                Digest.md5("D41D8CD98F00B204E9800998ECF8427E"), "user-1", WHEN);
        Path directory = Files.createDirectories(data.resolve("staging/acme/default").resolve(key.nameDigest()));
        Files.write(directory.resolve("content"), bytes);
        Files.write(directory.resolve("metadata.properties"), new StoredFileRecord(file, Map.of()).encode());
        return file;
    }

    /** An open upload as the earlier version kept it: uploads/{id}/content, upload.properties (durable offset). */
    private UploadTicket legacyUpload(String name, long length, String written, long offset) throws Exception {
        String id = UUID.randomUUID().toString().replace("-", "").substring(0, 22);
        UploadTicket ticket = new UploadTicket(id, new FileKey(AREA, name), length, Map.of("filename", name),
                dev.filestaging.ports.out.DeclaredContent.NOTHING,
                "user-1", WHEN, WHEN.plusSeconds(86_400 * 365));
        Path directory = Files.createDirectories(data.resolve("uploads").resolve(id));
        Files.writeString(directory.resolve("content"), written);
        Files.write(directory.resolve("upload.properties"), new UploadTicketRecord(ticket, offset).encode());
        return ticket;
    }
}
