package dev.filestaging.adapter.postgres;

import java.time.Duration;
import java.util.Objects;

/**
 * Where the catalog's database is and how to reach it.
 *
 * @param jdbcUrl          {@code jdbc:postgresql://host:port/database}
 * @param user             null for the URL's, or the driver's default
 * @param password         null for none (a server that trusts the client, or the URL's)
 * @param poolSize         connections at most; a handful serve a process (each step holds one for a few round trips)
 * @param connectTimeout   how long a call waits for a connection before it fails: an outage answers within this
 * @param statementTimeout how long a statement may go without an answer from the server (a partition) before it fails
 */
public record PostgresSettings(String jdbcUrl, String user, String password, int poolSize, Duration connectTimeout,
                               Duration statementTimeout) {
    public static final int DEFAULT_POOL_SIZE = 8;
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofSeconds(30);

    public PostgresSettings {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(statementTimeout, "statementTimeout");
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("the catalog's JDBC URL starts with jdbc:postgresql:, got " + jdbcUrl);
        }
        if (poolSize < 1) {
            throw new IllegalArgumentException("the pool holds at least one connection");
        }
        if (connectTimeout.toMillis() < 250) {
            throw new IllegalArgumentException("the connect timeout is at least 250 ms (HikariCP's least)");
        }
    }

    public static PostgresSettings of(String jdbcUrl, String user, String password) {
        return new PostgresSettings(jdbcUrl, user, password, DEFAULT_POOL_SIZE, DEFAULT_CONNECT_TIMEOUT,
                DEFAULT_STATEMENT_TIMEOUT);
    }

    /**
     * The URL as it may be shown (in logs, messages): the driver also takes a password in it ({@code password=...}),
     * which this hides.
     */
    public static String shown(String jdbcUrl) {
        return jdbcUrl == null ? null : jdbcUrl.replaceAll("(?i)([?&;]password=)[^&;]*", "$1***");
    }

    /** Without the password. */
    @Override
    public String toString() {
        return "PostgresSettings[" + shown(jdbcUrl) + ", user " + user + ", pool " + poolSize + ", connect timeout "
                + connectTimeout + ", statement timeout " + statementTimeout + "]";
    }
}
