package dev.filestaging.adapter.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.filestaging.ports.CompressionFormat;
import dev.filestaging.ports.DataFormat;
import dev.filestaging.ports.Digest;
import dev.filestaging.ports.FileKey;
import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.StoredFile;
import dev.filestaging.ports.out.StorageException;
import dev.filestaging.ports.out.catalog.Catalog;
import dev.filestaging.ports.out.catalog.CatalogFile;
import dev.filestaging.ports.out.catalog.FileCommit;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A stopped database makes every call fail fast with a StorageException and the health check fail, and the same
 * catalog serves again once the database is back: no restart of the process. On a cluster of its own, so the others'
 * tests are not stopped with it.
 */
class PostgresOutageTest {
    private static final StagingArea AREA = StagingArea.defaultProjectOf(new OrganizationId("acme"));

    private static CatalogFile file(String name) {
        return new CatalogFile(new StoredFile(UUID.randomUUID(), new FileKey(AREA, name), 1, DataFormat.CSV,
                CompressionFormat.GZ, Digest.md5("AB"), "sa", Instant.now()), "blob" + UUID.randomUUID().toString()
                .replace("-", ""));
    }

    @Test
    void calls_fail_fast_while_the_database_is_down_and_work_again_once_it_is_back() throws Exception {
        try (PostgresServer server = PostgresServer.start()) {
            String url = server.newDatabase();
            try (PostgresCatalog catalog = PostgresCatalog.open(url, PostgresServer.USER, PostgresServer.PASSWORD)) {
                assertThat(catalog.commit(file("before"), Catalog.NO_LIMIT)).isInstanceOf(FileCommit.Committed.class);
                assertThat(catalog.health().serving()).isTrue();

                server.stop();

                long started = System.nanoTime();
                assertThatThrownBy(() -> catalog.find(new FileKey(AREA, "before")))
                        .isInstanceOf(StorageException.StorageUnavailableException.class)
                        .hasMessageContaining("cannot be reached");
                assertThatThrownBy(() -> catalog.commit(file("during"), Catalog.NO_LIMIT))
                        .isInstanceOf(StorageException.class);
                assertThat(catalog.health().serving()).isFalse();
                assertThat(catalog.health().detail()).contains("does not answer");
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));

                server.restart();

                assertThat(catalog.health().serving()).isTrue();
                assertThat(catalog.find(new FileKey(AREA, "before"))).isPresent();
                assertThat(catalog.commit(file("after"), Catalog.NO_LIMIT)).isInstanceOf(FileCommit.Committed.class);
            }
        }
    }

    @Test
    void opening_a_catalog_on_an_unreachable_database_fails_with_a_storage_exception() throws Exception {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/nothing";
        long started = System.nanoTime();
        assertThatThrownBy(() -> PostgresCatalog.open(url, PostgresServer.USER, PostgresServer.PASSWORD))
                .isInstanceOf(StorageException.StorageUnavailableException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void a_url_the_driver_cannot_use_fails_with_a_storage_exception_naming_it() {
        String url = "jdbc:postgresql://127.0.0.1:5432/jdbc:postgresql://127.0.0.1:5432/files";
        assertThatThrownBy(() -> PostgresCatalog.open(url, PostgresServer.USER, PostgresServer.PASSWORD))
                .isInstanceOf(StorageException.class).hasMessageContaining(url);
    }

    @Test
    void a_database_that_takes_no_writes_is_unavailable_and_not_ready_until_it_does_again() throws Exception {
        String url = PostgresServer.shared().newDatabase();
        String database = url.substring(url.lastIndexOf('/') + 1);
        try (PostgresCatalog catalog = PostgresCatalog.open(url, PostgresServer.USER, PostgresServer.PASSWORD);
             java.sql.Connection admin = java.sql.DriverManager.getConnection(
                     PostgresServer.shared().jdbcUrl("postgres"), PostgresServer.USER, PostgresServer.PASSWORD);
             java.sql.Statement sql = admin.createStatement()) {
            assertThat(catalog.health().serving()).isTrue();
            // as during a fail-over: the database is set read-only and its sessions start again
            sql.execute("ALTER DATABASE " + database + " SET default_transaction_read_only = on");
            sql.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + database + "'");

            // the pool finds its connections closed one call at a time, then opens new ones, read-only
            StorageException refused = null;
            for (int attempt = 0; attempt < 20 && (refused == null || !refused.getMessage().contains("read-only"));
                 attempt++) {
                try {
                    catalog.commit(file("read-only"), Catalog.NO_LIMIT);
                    throw new AssertionError("a read-only database took a commit");
                } catch (StorageException e) {
                    refused = e;
                }
            }
            assertThat(refused).isInstanceOf(StorageException.StorageUnavailableException.class)
                    .hasMessageContaining("read-only");
            assertThat(catalog.health().serving()).isFalse();
            assertThat(catalog.health().detail()).contains("takes no writes");

            sql.execute("ALTER DATABASE " + database + " SET default_transaction_read_only = off");
            sql.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + database + "'");
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!catalog.health().serving() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(catalog.health().serving()).isTrue();
            assertThat(catalog.commit(file("writable"), Catalog.NO_LIMIT)).isInstanceOf(FileCommit.Committed.class);
        }
    }
}
