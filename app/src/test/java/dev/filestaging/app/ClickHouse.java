package dev.filestaging.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away ClickHouse server (Debian's {@code clickhouse-server}) on a free port, for querying staged files the
 * way a user's query engine does: {@code SELECT ... FROM url('<signed link>', CSVWithNames, '<columns>')}.
 */
final class ClickHouse implements AutoCloseable {
    private final Process process;
    private final int port;

    private ClickHouse(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static ClickHouse start(Path directory) throws Exception {
        int port = RunningApp.freePort();
        Files.createDirectories(directory);
        Files.writeString(directory.resolve("users.xml"), """
                <?xml version="1.0"?>
                <yandex>
                  <profiles><default></default></profiles>
                  <users><default><password></password><networks><ip>127.0.0.1</ip></networks>
                    <profile>default</profile><quota>default</quota></default></users>
                  <quotas><default></default></quotas>
                </yandex>
                """);
        Path config = Files.writeString(directory.resolve("config.xml"), """
                <?xml version="1.0"?>
                <yandex>
                  <logger><level>warning</level><console>1</console></logger>
                  <tcp_port>%d</tcp_port>
                  <listen_host>127.0.0.1</listen_host>
                  <path>%s/data/</path>
                  <tmp_path>%s/tmp/</tmp_path>
                  <users_config>users.xml</users_config>
                  <default_profile>default</default_profile>
                  <default_database>default</default_database>
                  <mark_cache_size>5368709</mark_cache_size>
                </yandex>
                """.formatted(port, directory, directory));
        Process process = new ProcessBuilder("clickhouse-server", "--config-file=" + config)
                .redirectErrorStream(true).redirectOutput(directory.resolve("server.log").toFile()).start();
        ClickHouse clickHouse = new ClickHouse(process, port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            assertThat(process.isAlive()).as("clickhouse-server runs: " + Files.readString(directory.resolve("server.log")))
                    .isTrue();
            if (clickHouse.tryQuery("SELECT 1").exitCode() == 0) {
                return clickHouse;
            }
            Thread.sleep(200);
        }
        clickHouse.close();
        throw new AssertionError("clickhouse-server did not start: " + Files.readString(directory.resolve("server.log")));
    }

    E2e.Result tryQuery(String sql) throws Exception {
        return E2e.run(List.of("clickhouse-client", "--port", Integer.toString(port), "-q", sql), Map.of());
    }

    /** The query's tab-separated answer. */
    String query(String sql) throws Exception {
        E2e.Result result = tryQuery(sql);
        assertThat(result.exitCode()).as(result.output()).isZero();
        return result.output().strip();
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
