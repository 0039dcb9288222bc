package dev.filestaging.adapter.localfs.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The schema's version that lets an up-to-date catalog open without Flyway is the newest migration's. */
class LocalCatalogSchemaTest {
    private static final Pattern MIGRATION = Pattern.compile("V(\\d+)__.*\\.sql");

    @TempDir
    Path directory;

    @Test
    void the_recorded_schema_version_is_the_newest_migration() throws Exception {
        URL migrations = LocalCatalogSchemaTest.class.getClassLoader().getResource("db/local-catalog");
        int newest;
        try (Stream<Path> files = Files.list(Path.of(migrations.toURI()))) {
            newest = files.map(file -> MIGRATION.matcher(file.getFileName().toString()))
                    .filter(Matcher::matches).mapToInt(m -> Integer.parseInt(m.group(1))).max().orElseThrow();
        }
        assertThat(SqliteDatabase.SCHEMA_VERSION).as("raise SCHEMA_VERSION with each migration").isEqualTo(newest);
    }

    @Test
    void a_new_catalog_is_migrated_and_records_its_version_and_an_old_one_is_migrated_again() throws Exception {
        Path file = directory.resolve("catalog.db");
        LocalCatalog.open(file).close();
        assertThat(userVersion(file)).isEqualTo(SqliteDatabase.SCHEMA_VERSION);
        // as a catalog of an earlier schema would be: Flyway runs (and finds nothing to do here) and records it again
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.executeUpdate("PRAGMA user_version = 0");
        }
        LocalCatalog.open(file).close();
        assertThat(userVersion(file)).isEqualTo(SqliteDatabase.SCHEMA_VERSION);
    }

    @Test
    void a_catalog_of_the_first_schema_keeps_its_files_and_change_log_through_the_events_migration() throws Exception {
        Path file = directory.resolve("v1.db");
        org.flywaydb.core.Flyway.configure(getClass().getClassLoader())
                .dataSource("jdbc:sqlite:" + file, null, null).locations("classpath:db/local-catalog").target("1")
                .load().migrate();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.executeUpdate("PRAGMA user_version = 1");
            s.executeUpdate("INSERT INTO areas (organization, project, used_bytes, files, last_sequence)"
                    + " VALUES ('acme', 'default', 3, 1, 2)");
            String fileColumns = "name, version, size_bytes, data_format, compression_format, digest_algo, digest_hash,"
                    + " uploaded_by, uploaded_on, uploaded_on_nanos";
            String values = "'a.csv', '0b0f5c33-66a5-4c25-9b0c-4a4a4b4c4d4e', 3, 'csv', NULL, 'MD5',"
                    + " '900150983CD24FB0D6963F7D28E17F72', 'sa-1', 1765100000, 7";
            s.executeUpdate("INSERT INTO files (area_id, name_key, " + fileColumns + ", blob_id) VALUES (1, x'0061002e006300730076', "
                    + values + ", 'blob0123456789abcdef')");
            s.executeUpdate("INSERT INTO changes (area_id, sequence, kind, at, at_nanos, " + fileColumns
                    + ") VALUES (1, 1, 'COMMITTED', 1765100000, 8, " + values + ")");
            s.executeUpdate("INSERT INTO changes (area_id, sequence, kind, at, at_nanos, " + fileColumns
                    + ") VALUES (1, 2, 'DELETED', 1765100001, 9, " + values + ")");
        }

        try (LocalCatalog catalog = LocalCatalog.open(file)) {
            dev.filestaging.ports.StagingArea area = dev.filestaging.ports.StagingArea.defaultProjectOf(
                    new dev.filestaging.ports.OrganizationId("acme"));
            var log = catalog.changes(area, 0, 10);
            assertThat(log.latest()).isEqualTo(2);
            assertThat(log.entries()).extracting(dev.filestaging.ports.events.Change::kind).containsExactly(
                    dev.filestaging.ports.events.Change.Kind.COMMITTED,
                    dev.filestaging.ports.events.Change.Kind.DELETED);
            assertThat(log.entries().get(0).file().name()).isEqualTo("a.csv");
            assertThat(log.entries().get(0).file().uploadedVia()).isNull();
            assertThat(log.entries().get(0).file().expiresAt()).isNull();
            assertThat(catalog.find(new dev.filestaging.ports.FileKey(area, "a.csv"))).isPresent();
        }
        assertThat(userVersion(file)).isEqualTo(SqliteDatabase.SCHEMA_VERSION);
    }

    private static int userVersion(Path file) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("PRAGMA user_version")) {
            r.next();
            return r.getInt(1);
        }
    }
}
