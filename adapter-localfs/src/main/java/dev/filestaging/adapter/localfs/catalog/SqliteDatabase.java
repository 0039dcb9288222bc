package dev.filestaging.adapter.localfs.catalog;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import dev.filestaging.ports.out.StorageException;
import dev.filestaging.ports.out.StoreHealth;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The SQLite database file, its connections, and the one place where a step becomes a transaction and where
 * {@link SQLException}s become {@link StorageException}s.
 *
 * <p>The database is in WAL mode with {@code synchronous=FULL}: a transaction is durable (its WAL frames synced) when
 * its commit returns. Readers never wait for the writer. Writers take a lock in this process first and then begin an
 * IMMEDIATE transaction: SQLite lets one writer in at a time, and waiting here, in order, is cheaper and fairer than
 * SQLite's busy loop. One process uses the file at a time (the data directory's lock), so no other writer exists.
 */
final class SqliteDatabase implements AutoCloseable {

    /** One step's work on a connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private final HikariDataSource pool;
    private final ReentrantLock writer = new ReentrantLock(true);
    private final Path file;
    /** Whether this opening created the database (it had no schema). */
    private boolean created;

    private SqliteDatabase(HikariDataSource pool, Path file) {
        this.pool = pool;
        this.file = file;
    }

    boolean created() {
        return created;
    }

    static SqliteDatabase open(Path file) {
        SQLiteConfig sqlite = new SQLiteConfig();
        sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
        sqlite.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        sqlite.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        sqlite.enforceForeignKeys(true);
        // only a checkpoint racing a writer of this process could wait; never forever
        sqlite.setBusyTimeout(10_000);
        HikariConfig config = new HikariConfig();
        config.setPoolName("local-catalog");
        config.setJdbcUrl("jdbc:sqlite:" + file.toAbsolutePath());
        config.setDataSourceProperties(sqlite.toProperties());
        config.setMaximumPoolSize(8);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(10_000);
        SqliteDatabase database;
        try {
            database = new SqliteDatabase(new HikariDataSource(config), file);
        } catch (HikariPool.PoolInitializationException e) {
            throw new StorageException("the local catalog " + file + " cannot be opened: " + e.getMessage(), e);
        }
        try {
            int version = database.read("reading the schema's version", SqliteDatabase::userVersion);
            database.created = version == 0
                    && database.read("looking for the schema", c -> !tableExists(c, "areas"));
            if (version != SCHEMA_VERSION) {
                Flyway.configure(SqliteDatabase.class.getClassLoader())
                        .dataSource(database.pool)
                        .locations(MIGRATIONS)
                        .load()
                        .migrate();
                database.transaction("recording the schema's version", c -> {
                    try (Statement statement = c.createStatement()) {
                        return statement.executeUpdate("PRAGMA user_version = " + SCHEMA_VERSION);
                    }
                });
            }
        } catch (FlywayException | StorageException e) {
            database.close();
            throw new StorageException("the local catalog " + file + " could not be brought up to date: "
                    + e.getMessage(), e);
        }
        return database;
    }

    /**
     * The version of the newest migration under {@link #MIGRATIONS}, also kept in the database's {@code user_version}
     * once Flyway applied it: a database already there opens without Flyway's class-path scan and history check
     * (about 10 ms, which a restart pays; a test restarts thousands of times). A migration added without raising
     * this is caught by {@code LocalCatalogSchemaTest}.
     */
    static final int SCHEMA_VERSION = 3;
    static final String MIGRATIONS = "classpath:db/local-catalog";

    private static boolean tableExists(Connection connection, String table) throws SQLException {
        try (java.sql.PreparedStatement select = connection.prepareStatement(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")) {
            select.setString(1, table);
            try (ResultSet row = select.executeQuery()) {
                return row.next();
            }
        }
    }

    private static int userVersion(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("PRAGMA user_version")) {
            result.next();
            return result.getInt(1);
        }
    }

    /** Runs {@code work} as one IMMEDIATE transaction, one at a time: committed when it returns. */
    <T> T transaction(String what, Work<T> work) {
        writer.lock();
        try (Connection connection = pool.getConnection()) {
            try {
                connection.setAutoCommit(false);
                T result = work.run(connection);
                connection.commit();
                connection.setAutoCommit(true);
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection, e);
                // SQLite may have rolled the transaction back itself (a full disk, an I/O error, a lock it could not
                // get), leaving the driver's idea of the connection wrong: a new connection starts clean
                pool.evictConnection(connection);
                throw e;
            }
        } catch (SQLException e) {
            throw translate(what, e);
        } finally {
            writer.unlock();
        }
    }

    /** Runs {@code work} (which may read) under the writers' lock, without a transaction of its own. */
    <T> T exclusively(java.util.function.Supplier<T> work) {
        writer.lock();
        try {
            return work.get();
        } finally {
            writer.unlock();
        }
    }

    /** Runs {@code work} as reads, each statement its own snapshot. */
    <T> T read(String what, Work<T> work) {
        try (Connection connection = pool.getConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw translate(what, e);
        }
    }

    /** Whether the catalog's disk has so little room left that SQLite cannot write a transaction's pages. */
    private boolean nearlyFull() {
        try {
            return Files.getFileStore(file.toAbsolutePath().getParent()).getUsableSpace() < NEARLY_FULL_BYTES;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Less than this free, a failed write is taken for a full disk: a transaction writes a few pages and a WAL. */
    static final long NEARLY_FULL_BYTES = 1024L * 1024;

    private static void rollbackQuietly(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    /**
     * The port's exception for {@code e}. A full disk is 507 whatever SQLite said: it often reports a transaction it
     * rolled back itself after running out of room ("cannot commit - no transaction is active") rather than the full
     * disk; a transaction rolled back under us otherwise (a lock held by another process) may succeed when asked again.
     */
    StorageException translate(String what, SQLException e) {
        SQLiteErrorCode code = e instanceof SQLiteException sqlite ? sqlite.getResultCode() : null;
        int primary = code == null ? -1 : code.code & 0xff;
        if (primary == SQLiteErrorCode.SQLITE_FULL.code || nearlyFull()) {
            return new StorageException.StorageFullException(
                    "the data directory is full while " + what + " in the local catalog", e);
        }
        if (primary == SQLiteErrorCode.SQLITE_BUSY.code || primary == SQLiteErrorCode.SQLITE_LOCKED.code
                || String.valueOf(e.getMessage()).contains("no transaction is active")) {
            return new StorageException.StorageUnavailableException(
                    "the local catalog is busy (" + what + "): " + e.getMessage(), e);
        }
        return new StorageException("the local catalog failed " + what + ": " + e.getMessage(), e);
    }

    /** Whether the database answers a read; a full or read-only disk shows in the data directory's own check. */
    StoreHealth health() {
        if (!Files.exists(file)) {
            return StoreHealth.failing("the local catalog " + file + " is gone (deleted or moved while serving)");
        }
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT count(*) FROM areas")) {
            result.next();
            return StoreHealth.SERVING;
        } catch (SQLException | RuntimeException e) {
            return StoreHealth.failing("the local catalog " + file + " does not answer: "
                    + Objects.toString(e.getMessage(), e.getClass().getSimpleName()));
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
