package dev.filestaging.adapter.postgres;

import dev.filestaging.ports.contract.WebhookStoreContractTest;
import dev.filestaging.ports.out.events.WebhookStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * The webhook store contract on PostgreSQL: each instance is a catalog of its own, with its own pool, on one
 * database, as each process would open it.
 */
class PostgresWebhookStoreContractTest extends WebhookStoreContractTest {
    private static String url;
    private final List<PostgresCatalog> catalogs = new ArrayList<>();

    @BeforeAll
    static void createDatabase() {
        url = PostgresServer.shared().newDatabase();
    }

    @Override
    protected WebhookStore newStore() throws Exception {
        WebhookStore store = open().webhooks();
        try (Connection connection = DriverManager.getConnection(url, PostgresServer.USER, PostgresServer.PASSWORD);
             Statement statement = connection.createStatement()) {
            statement.execute("TRUNCATE webhooks, webhook_progress, webhook_attempts");
        }
        return store;
    }

    @Override
    protected WebhookStore sameStorage() {
        return open().webhooks();
    }

    private PostgresCatalog open() {
        PostgresCatalog catalog = PostgresCatalog.open(url, PostgresServer.USER, PostgresServer.PASSWORD);
        catalogs.add(catalog);
        return catalog;
    }

    @AfterEach
    void closeCatalogs() {
        catalogs.forEach(PostgresCatalog::close);
    }
}
