package dev.filestaging.adapter.postgres;

import dev.filestaging.ports.contract.CatalogContractTest;
import dev.filestaging.ports.out.catalog.Catalog;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeAll;

/** The catalog contract on PostgreSQL: two catalogs, each with its own pool, on one database for the cross cases. */
class PostgresCatalogContractTest extends CatalogContractTest {
    private static String url;

    @BeforeAll
    static void createDatabase() {
        url = PostgresServer.shared().newDatabase();
    }

    @Override
    protected Catalog newCatalog() throws Exception {
        PostgresCatalog catalog = PostgresCatalog.open(url, PostgresServer.USER, PostgresServer.PASSWORD);
        try (Connection connection = DriverManager.getConnection(url, PostgresServer.USER, PostgresServer.PASSWORD);
             Statement statement = connection.createStatement()) {
            statement.execute("TRUNCATE areas, files, uploads, changes, small_records");
        }
        return catalog;
    }

    @Override
    protected Catalog sameStorage() {
        return PostgresCatalog.open(url, PostgresServer.USER, PostgresServer.PASSWORD);
    }
}
