package dev.filestaging.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.filestaging.app.config.AppConfig;
import dev.filestaging.app.config.ConfigException;
import dev.filestaging.app.config.ConfigLoader;
import dev.filestaging.app.metrics.ManagementServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A management port that cannot be had is blamed on FILES_MANAGEMENT_PORT, never on the API's port (issue 24). */
class ManagementPortTest {
    private final ConfigLoader loader = new ConfigLoader();

    @TempDir
    Path data;

    @Test
    void the_api_port_given_as_management_port_is_refused_naming_the_management_setting() {
        assertThatThrownBy(() -> loader.load(Map.of("FILES_MANAGEMENT_PORT", "8080"), null))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("FILES_MANAGEMENT_PORT is 8080, the port the API listens on (FILES_HTTP_PORT)");
        assertThatThrownBy(() -> loader.load(Map.of("FILES_HTTP_PORT", "9000", "FILES_HTTP_HOST", "0.0.0.0",
                "FILES_MANAGEMENT_PORT", "9000"), null)).hasMessageStartingWith("FILES_MANAGEMENT_PORT is 9000");
    }

    @Test
    void one_port_number_on_two_addresses_and_port_0_twice_are_fine() {
        assertThat(loader.load(Map.of("FILES_HTTP_HOST", "10.0.0.1", "FILES_MANAGEMENT_PORT", "8080"), null)
                .management()).isPresent();
        assertThat(loader.load(Map.of("FILES_HTTP_PORT", "0", "FILES_MANAGEMENT_PORT", "0"), null).management())
                .isPresent();
    }

    @Test
    void a_management_port_in_use_stops_start_up_naming_its_setting_before_the_api_listens() throws Exception {
        int apiPort = freePort();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            AppConfig config = loader.load(Map.of("FILES_DATA_DIR", data.toString(),
                    "FILES_HTTP_PORT", String.valueOf(apiPort),
                    "FILES_MANAGEMENT_PORT", String.valueOf(taken.getLocalPort())), null);
            ByteArrayOutputStream console = new ByteArrayOutputStream();

            assertThatThrownBy(() -> FilesApp.start(config, new PrintStream(console, true, StandardCharsets.UTF_8)))
                    .isInstanceOf(ManagementServer.CannotListen.class)
                    .hasMessageContaining("set FILES_MANAGEMENT_PORT to a free port")
                    .hasMessageNotContaining("FILES_HTTP_PORT");
            assertThat(listening(apiPort)).as("the API is not left listening").isFalse();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }
}
