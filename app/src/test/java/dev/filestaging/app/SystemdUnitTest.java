package dev.filestaging.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The unit in deploy/ passes {@code systemd-analyze verify} without a warning, and stops no later than it should. */
class SystemdUnitTest {
    private static final Path UNIT = Path.of("..", "deploy", "files-staging.service");

    @TempDir
    Path work;

    @Test
    void the_unit_verifies_cleanly_and_waits_longer_than_the_shutdown_grace() throws Exception {
        E2e.Result verified = verify(UNIT);
        assertThat(verified.exitCode()).as(verified.output()).isZero();
        assertThat(verified.output().strip()).as("systemd-analyze has nothing to say about it").isEmpty();

        String unit = Files.readString(UNIT);
        assertThat(unit).contains("StateDirectory=files-staging", "SuccessExitStatus=143", "KillSignal=SIGTERM");
        long grace = Long.parseLong(value(unit, "Environment=FILES_HTTP_SHUTDOWN_GRACE_SECONDS"));
        assertThat(Long.parseLong(value(unit, "TimeoutStopSec"))).as("systemd waits for the app's own grace")
                .isGreaterThan(grace);
    }

    @Test
    void a_unit_with_a_mistake_is_reported_so_the_check_above_can_fail() throws Exception {
        Path broken = work.resolve("files-staging.service");
        Files.writeString(broken, Files.readString(UNIT).replace("TimeoutStopSec=", "TimeoutStopSecs="));
        assertThat(verify(broken).output()).contains("Unknown key");
    }

    private static E2e.Result verify(Path unit) throws Exception {
        return E2e.run(List.of("systemd-analyze", "verify", unit.toAbsolutePath().normalize().toString()), Map.of());
    }

    private static String value(String unit, String key) {
        return unit.lines().filter(line -> line.startsWith(key + "=")).findFirst().orElseThrow()
                .substring(key.length() + 1).strip();
    }
}
