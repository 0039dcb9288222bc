package dev.filestaging.adapter.postgres;

import dev.filestaging.ports.out.StorageException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * Brings the database's schema up to date at start, from {@code db/migration} on the class path. Flyway holds an
 * advisory lock while it migrates, so several processes starting at once migrate once.
 */
final class Schema {
    private Schema() {}

    static void migrate(DataSource dataSource) {
        try {
            Flyway.configure(Schema.class.getClassLoader())
                    .dataSource(dataSource)
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw new StorageException("the catalog's schema could not be brought up to date: " + e.getMessage(), e);
        }
    }
}
