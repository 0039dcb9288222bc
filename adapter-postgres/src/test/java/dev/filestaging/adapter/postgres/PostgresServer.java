package dev.filestaging.adapter.postgres;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL cluster for tests, from the machine's binaries (the {@code postgres.bin} system property, or
 * Debian's newest {@code /usr/lib/postgresql/N/bin}): made by {@code initdb} in a directory under /tmp, listening on a free port
 * of 127.0.0.1, with fsync off (nothing here must survive a crash of the machine; commits stay synchronous, so a
 * {@link #stop()}, which is a crash of the server, loses none). {@link #shared()} is one cluster
 * per JVM, started at first use and removed by a shutdown hook; each test class takes a database of its own with
 * {@link #newDatabase()}. {@code initdb} and {@code postgres} refuse to run as root: as root, they run as the
 * {@code postgres} user through {@code runuser}.
 */
public final class PostgresServer implements AutoCloseable {
    public static final String USER = "files";
    public static final String PASSWORD = "";

    private static final Path BIN = binaries();
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));
    private static PostgresServer shared;

    private final Path directory;
    private final Path data;
    private final int port;
    private final AtomicInteger databases = new AtomicInteger();
    private boolean running;

    private PostgresServer(Path directory, int port) {
        this.directory = directory;
        this.data = directory.resolve("data");
        this.port = port;
    }

    /** The JVM's cluster, started at first use. */
    public static synchronized PostgresServer shared() {
        if (shared == null) {
            PostgresServer server = start();
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "postgres-server-stop"));
            shared = server;
        }
        return shared;
    }

    /** A cluster of the caller's own (to stop and restart it, say); the caller closes it. */
    public static PostgresServer start() {
        try {
            Path directory = Files.createTempDirectory(Path.of("/tmp"), "files-pg-");
            if (ROOT) {
                run(List.of("chown", "postgres:", directory.toString()), directory);
            }
            PostgresServer server = new PostgresServer(directory, freePort());
            server.runAsOwner(List.of(BIN.resolve("initdb").toString(), "-D", server.data.toString(), "-A", "trust",
                    "-U", USER, "-E", "UTF8", "--locale=C", "--no-sync"));
            server.startServer();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("could not start a PostgreSQL cluster from " + BIN + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return port;
    }

    /** A new, empty database's JDBC URL. */
    public String newDatabase() {
        String name = "test_" + databases.incrementAndGet();
        try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), USER, PASSWORD);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name + ": " + e.getMessage(), e);
        }
        return jdbcUrl(name);
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** Stops the server at once (as a crash would: no checkpoint), keeping its data. */
    public synchronized void stop() {
        if (running) {
            runAsOwner(List.of(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w",
                    "stop"));
            running = false;
        }
    }

    /** Starts it again on the same port, with its data. */
    public synchronized void restart() {
        if (!running) {
            startServer();
        }
    }

    private void startServer() {
        runAsOwner(List.of(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-l",
                directory.resolve("server.log").toString(), "-w", "-t", "30", "-o",
                "-p " + port + " -k " + directory + " -c listen_addresses=127.0.0.1 -c fsync=off"
                        + " -c full_page_writes=off -c max_connections=200", "start"));
        running = true;
    }

    /** Stops the server and removes its directory. */
    @Override
    public synchronized void close() {
        try {
            stop();
        } finally {
            try (Stream<Path> paths = Files.walk(directory)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                // a leftover directory under /tmp is harmless
            }
        }
    }

    private void runAsOwner(List<String> command) {
        List<String> full = new ArrayList<>();
        if (ROOT) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        try {
            run(full, directory);
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage() + logTail(), e);
        }
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(directory.resolve("server.log"));
            return "\nserver log:\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    private static void run(List<String> command, Path directory) throws IOException {
        Path output = Files.createTempFile("files-pg-command-", ".log");
        try {
            Process process = new ProcessBuilder(command).directory(directory.toFile())
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish in 120 s");
            }
            if (process.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " exited with " + process.exitValue() + ": "
                        + Files.readString(output));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command.get(0), e);
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static Path binaries() {
        String configured = System.getProperty("postgres.bin");
        if (configured != null) {
            return Path.of(configured);
        }
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(version -> version.resolve("bin"))
                    .filter(bin -> Files.isExecutable(bin.resolve("initdb")))
                    .max(Comparator.comparingInt(bin -> Integer.parseInt(bin.getParent().getFileName().toString()
                            .replaceAll("\\D", "0"))))
                    .orElse(Path.of("/usr/lib/postgresql/15/bin"));
        } catch (IOException e) {
            return Path.of("/usr/lib/postgresql/15/bin"); // not installed: start() says so
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
