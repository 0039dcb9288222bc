package dev.filestaging.app.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Where the management endpoint (Prometheus metrics) listens, declared once; off unless a port is given. */
public final class ManagementConfiguration {
    private ManagementConfiguration() {}

    public static final Setting<Long> PORT = Setting.number("FILES_MANAGEMENT_PORT", 0, 65_535, null,
            "a TCP port (0 picks a free one)");
    public static final Setting<String> HOST = new Setting<>("FILES_MANAGEMENT_HOST", "an address to listen on",
            "127.0.0.1", host -> host);

    static final List<Setting<?>> DECLARED = List.of(PORT, HOST);

    /** The management endpoint's address, when one is configured. */
    public record Management(String host, int port) {}

    /**
     * @throws ConfigException the port is the API's on an address the API listens on too: the error names this
     *                         setting, since the API's port is the one that is right
     */
    static Optional<Management> read(Map<String, String> values) {
        Long port = PORT.read(values);
        if (port == null) {
            return Optional.empty();
        }
        String host = HOST.read(values);
        long httpPort = HttpConfiguration.PORT.read(values);
        String httpHost = HttpConfiguration.HOST.read(values);
        if (port != 0 && port == httpPort && (host.equals(httpHost) || isWildcard(host) || isWildcard(httpHost))) {
            throw new ConfigException(PORT.key() + " is " + port + ", the port the API listens on ("
                    + HttpConfiguration.PORT.key() + "); give the management endpoint a port of its own");
        }
        return Optional.of(new Management(host, port.intValue()));
    }

    private static boolean isWildcard(String host) {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]") || host.equals("0:0:0:0:0:0:0:0");
    }
}
