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

    private static int userVersion(Path file) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("PRAGMA user_version")) {
            r.next();
            return r.getInt(1);
        }
    }
}
