package dev.filestaging.adapter.jersey;

import dev.filestaging.adapter.jersey.auth.AuthenticationFilter;
import dev.filestaging.adapter.jersey.auth.OAuthResource;
import dev.filestaging.adapter.jersey.console.ConsoleResource;
import dev.filestaging.adapter.jersey.console.DocsResource;
import dev.filestaging.adapter.jersey.http.AccessLog;
import dev.filestaging.adapter.jersey.http.BodyDrain;
import dev.filestaging.adapter.jersey.http.CompletedRequest;
import dev.filestaging.adapter.jersey.http.CompletedRequests;
import dev.filestaging.adapter.jersey.http.ContinueGate;
import dev.filestaging.adapter.jersey.http.CrossOrigin;
import dev.filestaging.adapter.jersey.http.FilesApi;
import dev.filestaging.adapter.jersey.http.ForwardedHeaders;
import dev.filestaging.adapter.jersey.http.Http11Only;
import dev.filestaging.adapter.jersey.http.HttpMeters;
import dev.filestaging.adapter.jersey.http.HttpSettings;
import dev.filestaging.adapter.jersey.http.ProblemMapper;
import dev.filestaging.adapter.jersey.http.RequestBodies;
import dev.filestaging.adapter.jersey.http.RequestIds;
import dev.filestaging.adapter.jersey.http.RouteTable;
import dev.filestaging.adapter.jersey.http.SecurityHeadersFilter;
import dev.filestaging.adapter.jersey.http.TransferSlots;
import dev.filestaging.adapter.jersey.http.TrustedProxies;
import dev.filestaging.adapter.jersey.http.TusProtocol;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.glassfish.grizzly.http.server.HttpHandlerRegistration;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.http.server.ServerConfiguration;
import org.glassfish.grizzly.threadpool.ThreadPoolConfig;
import org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpContainer;
import org.glassfish.jersey.internal.inject.AbstractBinder;
import org.glassfish.jersey.jackson.JacksonFeature;
import org.glassfish.jersey.server.ContainerFactory;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;

/**
 * The Files API over HTTP: Jersey on Grizzly, which streams request bodies with back-pressure. Jersey's multipart
 * module is deliberately absent: it would copy every upload to a temp file before our code runs.
 */
public final class FilesHttpServer implements AutoCloseable {
    /**
     * Grizzly's filter chain logs every exception a filter lets through at WARN with its stack trace. The ones that
     * reach it here are about a client's bytes (a broken chunked body nobody reads, say), each already answered or
     * closed and in the access log: at WARN they were a stack trace per request that anyone could cause without
     * credentials. Kept in a field: a logger nobody references may be collected, and its level with it.
     */
    private static final java.util.logging.Logger FILTER_CHAIN_LOG = quiet(
            "org.glassfish.grizzly.filterchain.DefaultFilterChain");

    private static java.util.logging.Logger quiet(String name) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
        logger.setLevel(java.util.logging.Level.SEVERE);
        return logger;
    }


    /**
     * A request body left unread (a refused upload) is skipped to keep the connection only if it is this small;
     * otherwise the connection is closed rather than reading gigabytes nobody wants.
     */
    private static final long MAX_UNREAD_BODY_TO_SKIP = 1024 * 1024;

    private static final int MAX_PENDING_WRITE_BYTES = 1 << 20;

    private final HttpServer server;
    private final NetworkListener listener;
    private final TransferSlots transferSlots;
    private final ContinueGate gate;
    private final Duration shutdownGrace;
    private final BodyDrain drain;

    private FilesHttpServer(HttpServer server, NetworkListener listener, TransferSlots transferSlots, ContinueGate gate,
                            BodyDrain drain, Duration shutdownGrace) {
        this.drain = drain;
        this.server = server;
        this.listener = listener;
        this.transferSlots = transferSlots;
        this.gate = gate;
        this.shutdownGrace = shutdownGrace;
    }

    /** Starts serving; returns once the port is bound. */
    public static FilesHttpServer start(HttpSettings settings, FilesApi api) throws IOException {
        return start(settings, api, null);
    }

    /**
     * Starts serving, with the API's meters in {@code meters} (see {@link HttpMeters}); returns once the port is bound.
     *
     * @param meters where request meters go, or null for none
     */
    public static FilesHttpServer start(HttpSettings settings, FilesApi api, io.micrometer.core.instrument.MeterRegistry meters)
            throws IOException {
        TransferSlots transferSlots = new TransferSlots(settings.maxConcurrentUploads());
        BodyDrain drain = new BodyDrain();
        List<java.util.function.Consumer<CompletedRequest>> observers = new java.util.ArrayList<>();
        observers.add(new AccessLog());
        if (meters != null) {
            observers.add(new HttpMeters(meters, transferSlots));
        }
        RouteTable routes = RouteTable.of(ApiRoot.class, HealthResource.class, DocsResource.class, ConsoleResource.class,
                OAuthResource.class);
        java.util.function.Consumer<CompletedRequest> observed = request -> observers.forEach(o -> o.accept(request));
        ResourceConfig application = new ResourceConfig()
                .register(ApiRoot.class)
                .register(new AbstractBinder() {
                    @Override
                    protected void configure() {
                        bind(api).to(FilesApi.class);
                        bind(settings).to(HttpSettings.class);
                        bind(transferSlots).to(TransferSlots.class);
                    }
                })
                .register(new RequestIds())
                .register(new ForwardedHeaders())
                .register(new CompletedRequests(observers, routes))
                .register(HealthResource.class)
                .register(DocsResource.class)
                .register(ConsoleResource.class)
                .register(new CrossOrigin(settings.corsOrigins()))
                .register(OAuthResource.class)
                .register(new AuthenticationFilter(api.authenticators(), api.resumable()))
                .register(new TusProtocol())
                .register(new RequestBodies(settings, drain))
                .register(new SecurityHeadersFilter())
                .register(new ProblemMapper(settings))
                .register(JacksonFeature.class)
                .property(ServerProperties.WADL_FEATURE_DISABLE, true)
                .property(ServerProperties.RESPONSE_SET_STATUS_OVER_SEND_ERROR, true);
        GrizzlyHttpContainer jersey = ContainerFactory.createContainer(GrizzlyHttpContainer.class, application);

        HttpServer server = new HttpServer();
        NetworkListener listener = new NetworkListener("files-api", settings.host(), settings.port());
        listener.getTransport().setWorkerThreadPoolConfig(ThreadPoolConfig.defaultConfig()
                .setPoolName("files-http")
                .setCorePoolSize(Math.min(8, settings.workerThreads()))
                .setMaxPoolSize(settings.workerThreads()));
        // a blocked read of a request body gives up after this long (the worker is freed, the client gets 408)
        listener.getTransport().setReadTimeout(settings.idleTimeout().toMillis(), TimeUnit.MILLISECONDS);
        // A download writes faster than a client reads: Grizzly queues what the socket cannot take yet, by default up to
        // a few times the socket's send buffer (megabytes on loopback) per connection. Bounding it keeps the heap flat
        // with many downloads at once (measured: 199 full collections in 8 parallel 1 GiB downloads under -Xmx64m).
        listener.getTransport().getAsyncQueueIO().getWriter().setMaxPendingBytesPerConnection(MAX_PENDING_WRITE_BYTES);
        // A write waits while that queue is full; a reader that takes nothing for this long has its response cut off
        // (Grizzly closes the connection), which frees the worker and the transfer slot. Grizzly's default is 30 s.
        listener.getTransport().setWriteTimeout(settings.writeStallTimeout().toMillis(), TimeUnit.MILLISECONDS);
        listener.getKeepAlive().setIdleTimeoutInSeconds((int) Math.max(1, settings.idleTimeout().toSeconds()));
        listener.registerAddOn(new Http11Only(MAX_UNREAD_BODY_TO_SKIP, settings.publicUrl().orElse(""), observed));
        server.addListener(listener);
        ServerConfiguration configuration = server.getServerConfiguration();
        configuration.setHttpServerName("files");
        configuration.setHttpServerVersion("");
        // TRACE goes to Jersey like any method, so it gets the same 405 problem with the address's real Allow header
        configuration.setPassTraceRequest(true);
        // Grizzly's own error pages print the stack trace; ours say only what the status says
        configuration.setDefaultErrorPageGenerator((request, status, reason, description, exception) ->
                "{\"status\":" + status + ",\"title\":\"" + reason.replace('"', '\'') + "\"}");
        configuration.setMaxPayloadRemainderToSkip(MAX_UNREAD_BODY_TO_SKIP);
        ContinueGate gate = new ContinueGate(jersey, settings.maxUploadBytes(), settings.publicUrl().orElse(""),
                TrustedProxies.of(settings.trustedProxies()), observed, routes);
        configuration.addHttpHandler(gate, HttpHandlerRegistration.ROOT);
        server.start();
        return new FilesHttpServer(server, listener, transferSlots, gate, drain, settings.shutdownGrace());
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return listener.getPort();
    }

    /** Uploads streaming at this moment. */
    public int transfersInProgress() {
        return transferSlots.inUse();
    }

    /**
     * Stops gracefully and returns once stopped: no new connections are accepted and requests arriving on open ones
     * are answered 503 {@code shutting_down}; transfers in progress, uploads above all, get the shutdown grace to
     * finish. Then the bodies still arriving are cut off as a broken connection would cut them, and the requests get
     * {@link #CUT_OFF_SETTLING} to settle that way (a resumable upload keeps what arrived, a one-request upload
     * stores nothing: commits are atomic) before whatever still runs is stopped.
     *
     * @return true if every transfer finished within the grace
     */
    public boolean stop() {
        gate.refuseNewRequests();
        boolean finished = awaitTransfers(shutdownGrace);
        if (!finished) {
            drain.cutBodies();
            awaitTransfers(CUT_OFF_SETTLING);
        }
        try {
            server.shutdown(1, TimeUnit.SECONDS).get(3, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            server.shutdownNow();
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        }
        return finished;
    }

    /**
     * How long requests whose bodies were cut off get to keep what arrived and answer (a sync takes milliseconds;
     * the whole stop stays within the grace plus 10 s, inside the service unit's TimeoutStopSec).
     */
    static final Duration CUT_OFF_SETTLING = Duration.ofSeconds(5);

    /** Waits until no transfer streams, at most {@code limit}; whether none does. */
    private boolean awaitTransfers(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (transferSlots.inUse() > 0) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        stop();
    }
}
