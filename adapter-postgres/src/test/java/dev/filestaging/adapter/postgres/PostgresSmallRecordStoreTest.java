package dev.filestaging.adapter.postgres;

import dev.filestaging.ports.contract.SmallRecordStoreContractTest;
import dev.filestaging.ports.out.SmallRecordStore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/** The small-record contract on PostgreSQL, a database per test. */
class PostgresSmallRecordStoreTest extends SmallRecordStoreContractTest {
    private final List<PostgresCatalog> opened = new ArrayList<>();
    private String url;

    @Override
    protected SmallRecordStore newStore() {
        url = PostgresServer.shared().newDatabase();
        return sameStorage();
    }

    @Override
    protected SmallRecordStore sameStorage() {
        PostgresCatalog catalog = PostgresCatalog.open(url, PostgresServer.USER, PostgresServer.PASSWORD);
        opened.add(catalog);
        return catalog;
    }

    @AfterEach
    void close() {
        opened.forEach(PostgresCatalog::close);
    }
}
