package dev.filestaging.adapter.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.filestaging.ports.FileKey;
import dev.filestaging.ports.NameGlob;
import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.out.catalog.AreaUsage;
import dev.filestaging.ports.out.catalog.CatalogFile;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The hot statements read through an index, never a whole table: with 100,000 files, 100,000 change-log entries and
 * 20,000 uploads in one area (among 1,000 areas), the planner's plan for each names an index scan and no sequential
 * scan of files, uploads or changes. This is the "cost bounded by the answer" clause of the contract, which the
 * contract test cannot see.
 */
class PostgresQueryPlanTest {
    private static final StagingArea BIG = StagingArea.defaultProjectOf(new OrganizationId("org1"));
    private static String url;
    private static PostgresCatalog catalog;
    private static Connection connection;

    @BeforeAll
    static void fill() throws SQLException {
        url = PostgresServer.shared().newDatabase();
        catalog = PostgresCatalog.open(url, PostgresServer.USER, PostgresServer.PASSWORD);
        connection = DriverManager.getConnection(url, PostgresServer.USER, PostgresServer.PASSWORD);
        try (Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO areas (organization, project, used_bytes, files, last_sequence)"
                    + " SELECT 'org' || i, 'default', CASE i WHEN 1 THEN 100000 ELSE 0 END,"
                    + " CASE i WHEN 1 THEN 100000 ELSE 0 END, CASE i WHEN 1 THEN 100000 ELSE 0 END"
                    + " FROM generate_series(1, 1000) i");
            // names f000001...f100000; their keys are UTF-16BE, which for ASCII is a zero byte before each byte
            statement.execute("INSERT INTO files (area_id, name_key, name, version, size_bytes, data_format,"
                    + " digest_algo, digest_hash, uploaded_by, uploaded_on, uploaded_on_nanos, blob_id)"
                    + " SELECT 1, decode(regexp_replace(encode(convert_to(n, 'UTF8'), 'hex'), '(..)', '00\\1', 'g'),"
                    + " 'hex'), n, gen_random_uuid(), 1, 'csv', 'md5', 'AB', 'sa', now(), 0, 'blob' || lpad(i::text, 12, '0')"
                    + " FROM generate_series(1, 100000) i, lpad(i::text, 6, '0') AS p, concat('f', p) AS n");
            statement.execute("INSERT INTO changes (area_id, sequence, kind, at, name, version, size_bytes,"
                    + " digest_algo, digest_hash, uploaded_by, uploaded_on, uploaded_on_nanos)"
                    + " SELECT 1, i, 'COMMITTED', now(), 'f' || i, gen_random_uuid(), 1, 'md5', 'AB', 'sa', now(), 0"
                    + " FROM generate_series(1, 100000) i");
            statement.execute("INSERT INTO uploads (id, area_id, name_key, name, length, metadata, uploaded_by,"
                    + " created, created_nanos, expires, expires_nanos, blob_id, checkpoint_offset, checkpoint_state,"
                    + " state) SELECT 'upload' || lpad(i::text, 12, '0'), 1, convert_to('u' || i, 'UTF8'), 'u' || i,"
                    + " 10, '', 'sa', now(), 0, now() + i * interval '1 second', 0, 'b' || i, 0, '',"
                    + " CASE WHEN i % 10 = 0 THEN 'open' ELSE 'staged' END FROM generate_series(1, 20000) i");
            statement.execute("ANALYZE");
        }
    }

    @AfterAll
    static void close() throws SQLException {
        connection.close();
        catalog.close();
    }

    /** The plan of {@code sql} with these parameters, as the planner would run it for them. */
    private static String plan(String sql, Object... parameters) throws SQLException {
        try (PreparedStatement explain = connection.prepareStatement("EXPLAIN " + sql)) {
            for (int i = 0; i < parameters.length; i++) {
                explain.setObject(i + 1, parameters[i]);
            }
            List<String> lines = new ArrayList<>();
            try (ResultSet row = explain.executeQuery()) {
                while (row.next()) {
                    lines.add(row.getString(1));
                }
            }
            return String.join("\n", lines);
        }
    }

    private static void assertIndexed(String plan, String table) {
        assertThat(plan).as(plan).containsPattern("Index (Only )?Scan (Backward )?using \\w+ on " + table)
                .doesNotContain("Seq Scan on files").doesNotContain("Seq Scan on uploads")
                .doesNotContain("Seq Scan on changes");
    }

    @Test
    void finding_a_file_by_name_uses_the_files_key() throws SQLException {
        assertIndexed(plan(FileRows.FIND, "org1", "default", Columns.nameKey("f050000")), "files");
        assertThat(catalog.find(new FileKey(BIG, "f050000"))).map(f -> f.file().sizeBytes()).contains(1L);
    }

    @Test
    void a_page_after_a_name_reads_the_files_key_from_there() throws SQLException {
        assertIndexed(plan(FileRows.PAGE, "org1", "default", Columns.nameKey("f050000"), 100), "files");
        assertIndexed(plan(FileRows.PAGE, "org1", "default", new byte[0], 1000), "files");
        assertThat(catalog.page(BIG, "f050000", 2, NameGlob.ANY)).extracting(f -> f.file().name())
                .containsExactly("f050001", "f050002");
    }

    @Test
    void a_glob_page_reads_batches_in_key_order_and_stops_when_full() {
        long started = System.nanoTime();
        List<CatalogFile> page = catalog.page(BIG, "f090000", 3, new NameGlob("*5"));
        assertThat(page).extracting(f -> f.file().name()).containsExactly("f090005", "f090015", "f090025");
        assertThat(System.nanoTime() - started).isLessThan(2_000_000_000L);
    }

    @Test
    void usage_reads_one_area_row_by_its_key() throws SQLException {
        String plan = plan(AreaRows.USAGE, "org1", "default");
        assertThat(plan).as(plan).contains("Index Scan using areas_organization_project_key on areas");
        assertThat(catalog.usage(BIG)).isEqualTo(new AreaUsage(100000, 100000, 0, 0));
    }

    @Test
    void an_upload_by_id_and_a_names_reservation_use_the_uploads_indexes() throws SQLException {
        assertIndexed(plan(UploadRows.BY_ID, "upload000000000010", "open"), "uploads");
        assertIndexed(plan(UploadRows.RESERVED, "org1", "default", "u10".getBytes()), "uploads");
    }

    @Test
    void expired_uploads_are_found_through_the_expiry_index() throws SQLException {
        String plan = plan(UploadRows.EXPIRED, "open", Columns.micros(Instant.now().minusSeconds(3600)), 0, 100);
        assertIndexed(plan, "uploads");
    }

    @Test
    void a_change_log_page_reads_the_changes_key_from_there() throws SQLException {
        assertIndexed(plan(ChangeRows.PAGE, "org1", "default", 50000L, 100), "changes");
        assertThat(catalog.changes(BIG, 99998, 10).entries()).extracting(c -> c.sequence())
                .containsExactly(99999L, 100000L);
    }

    @Test
    void expired_files_are_found_through_the_expiry_index_not_by_reading_areas() throws SQLException {
        String plan = plan(FileRows.EXPIRED, Columns.micros(Instant.now()), 0, 100);
        assertThat(plan).as(plan).contains("files_expiry").doesNotContain("Seq Scan on files");
        assertThat(catalog.expireFiles(Instant.now(), 10)).isEmpty();
    }

    @Test
    void the_orphan_sweeps_look_up_of_blobs_uses_the_blob_indexes() throws SQLException {
        java.sql.Array ids = connection.createArrayOf("text", new Object[] {"blob-a", "blob-b"});
        String plan = plan(BlobReferences.AMONG, ids, ids);
        assertThat(plan).as(plan).containsPattern("Index (Only )?Scan using \\w+ on files")
                .containsPattern("Index (Only )?Scan using \\w+ on uploads")
                .doesNotContain("Seq Scan on files").doesNotContain("Seq Scan on uploads");
    }
}
