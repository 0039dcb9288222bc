package dev.filestaging.app;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Where the management endpoint (Prometheus metrics) listens, declared once; off unless a port is given. */
final class ManagementConfiguration {
    private ManagementConfiguration() {}

    static final Setting<Long> PORT = Setting.number("FILES_MANAGEMENT_PORT", 0, 65_535, null,
            "a TCP port (0 picks a free one)");
    static final Setting<String> HOST = new Setting<>("FILES_MANAGEMENT_HOST", "an address to listen on",
            "127.0.0.1", host -> host);

    static final List<Setting<?>> DECLARED = List.of(PORT, HOST);

    /** The management endpoint's address, when one is configured. */
    record Management(String host, int port) {}

    static Optional<Management> read(Map<String, String> values) {
        Long port = PORT.read(values);
        return port == null ? Optional.empty() : Optional.of(new Management(HOST.read(values), port.intValue()));
    }
}
