package dev.filestaging.adapter.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import dev.filestaging.ports.out.StorageException;
import dev.filestaging.ports.out.StoreHealth;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;

/**
 * The connection pool, and the one place where a step becomes a transaction and where {@link SQLException}s become
 * {@link StorageException}s.
 */
final class Database implements AutoCloseable {

    /** One step's work on a connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private final HikariDataSource pool;

    private Database(HikariDataSource pool) {
        this.pool = pool;
    }

    static Database connect(PostgresSettings settings) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("catalog");
        config.setJdbcUrl(settings.jdbcUrl());
        config.setUsername(settings.user());
        config.setPassword(settings.password());
        config.setMaximumPoolSize(settings.poolSize());
        config.setMinimumIdle(1);
        // an outage answers within this, rather than holding the request thread for Hikari's default 30 s
        config.setConnectionTimeout(settings.connectTimeout().toMillis());
        config.setValidationTimeout(Math.min(settings.connectTimeout().toMillis(), 1000));
        config.addDataSourceProperty("connectTimeout", seconds(settings.connectTimeout()));
        config.addDataSourceProperty("loginTimeout", seconds(settings.connectTimeout()));
        // a server that stops answering without closing the connection (a partition) fails a statement after this
        config.addDataSourceProperty("socketTimeout", seconds(settings.statementTimeout()));
        config.addDataSourceProperty("tcpKeepAlive", true);
        config.addDataSourceProperty("ApplicationName", "files-catalog");
        try {
            return new Database(new HikariDataSource(config));
        } catch (HikariPool.PoolInitializationException e) {
            throw SqlErrors.translate("connecting to the catalog's database at "
                    + PostgresSettings.shown(settings.jdbcUrl()),
                    e.getCause() instanceof SQLException sql ? sql : new SQLException(e.getMessage(), "08001", e));
        } catch (RuntimeException e) {
            // the driver refused the URL itself (HikariCP wraps that in a bare RuntimeException)
            // the driver's own message may quote the URL, password and all: only ours is shown
            throw new StorageException("the catalog's database URL " + PostgresSettings.shown(settings.jdbcUrl())
                    + " is not usable by the PostgreSQL driver");
        }
    }

    private static int seconds(Duration duration) {
        return (int) Math.max(1, duration.toSeconds());
    }

    javax.sql.DataSource dataSource() {
        return pool;
    }

    /** Runs {@code work} as one transaction: committed when it returns, rolled back when it throws. */
    <T> T transaction(String what, Work<T> work) {
        try (Connection connection = pool.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection, e);
                throw e;
            }
        } catch (SQLException e) {
            throw SqlErrors.translate(what, e);
        }
    }

    /** Runs {@code work} as single statements, each its own transaction. */
    <T> T read(String what, Work<T> work) {
        try (Connection connection = pool.getConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw SqlErrors.translate(what, e);
        }
    }

    private static void rollbackQuietly(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e); // the connection is likely gone; the pool drops it
        }
    }

    /**
     * One statement within the pool's connection timeout, which also asks whether the database takes writes: a standby
     * or a database set read-only during a fail-over answers, yet every upload would fail.
     */
    StoreHealth health() {
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            statement.setQueryTimeout(2);
            try (ResultSet result = statement.executeQuery("SELECT current_setting('transaction_read_only')")) {
                result.next();
                return "on".equals(result.getString(1))
                        ? StoreHealth.failing("the catalog's database takes no writes (read-only, or a standby)")
                        : StoreHealth.SERVING;
            }
        } catch (SQLException | RuntimeException e) {
            return StoreHealth.failing("the catalog's database does not answer: " + Objects.toString(e.getMessage(),
                    e.getClass().getSimpleName()));
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
