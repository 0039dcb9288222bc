package dev.filestaging.adapter.localfs.catalog;

import dev.filestaging.ports.contract.CatalogContractTest;
import dev.filestaging.ports.out.catalog.Catalog;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * The catalog contract on the local SQLite catalog. One process uses a data directory at a time, so "another
 * process on the same storage" is the same catalog, as for the in-memory one.
 */
class LocalCatalogContractTest extends CatalogContractTest {
    @TempDir
    Path directory;
    private LocalCatalog current;

    @Override
    protected Catalog newCatalog() throws Exception {
        current = LocalCatalog.open(directory.resolve("catalog.db"));
        return current;
    }

    @Override
    protected Catalog sameStorage() {
        return current;
    }
}
