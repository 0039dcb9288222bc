package dev.filestaging.app.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.filestaging.app.config.ManagementConfiguration;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * The management endpoint: {@code GET /metrics} in the Prometheus text format, on a port of its own without
 * authentication, so it can stay on a private interface (127.0.0.1 by default) that only the scraper reaches.
 */
public final class ManagementServer implements AutoCloseable {
    private final HttpServer server;

    private ManagementServer(HttpServer server) {
        this.server = server;
    }

    public static ManagementServer start(ManagementConfiguration.Management address, PrometheusMeterRegistry registry)
            throws IOException {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(address.host(), address.port()), 16);
        } catch (IOException e) {
            throw new CannotListen(address, e);
        }
        server.createContext("/metrics", exchange -> {
            try (exchange) {
                if (!"GET".equals(exchange.getRequestMethod()) || !"/metrics".equals(exchange.getRequestURI().getPath())) {
                    answer(exchange, 404, "text/plain; charset=utf-8", "only GET /metrics is served here\n");
                    return;
                }
                answer(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape());
            }
        });
        server.createContext("/", exchange -> {
            try (exchange) {
                answer(exchange, 404, "text/plain; charset=utf-8", "only GET /metrics is served here\n");
            }
        });
        server.setExecutor(Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "files-management");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
        return new ManagementServer(server);
    }

    private static void answer(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** The management endpoint could not listen where it was told to; the message names the setting to change. */
    public static final class CannotListen extends IOException {
        CannotListen(ManagementConfiguration.Management address, IOException cause) {
            super("cannot start the management endpoint on " + address.host() + ":" + address.port() + ": "
                    + cause.getMessage() + " (set " + ManagementConfiguration.PORT.key() + " to a free port, or "
                    + ManagementConfiguration.HOST.key() + " to an address of this machine)", cause);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
