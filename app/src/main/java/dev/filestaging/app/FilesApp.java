package dev.filestaging.app;

import dev.filestaging.adapter.jersey.FilesHttpServer;
import dev.filestaging.adapter.jersey.http.FilesApi;
import dev.filestaging.app.config.AppConfig;
import dev.filestaging.app.config.CatalogKind;
import dev.filestaging.app.metrics.AreaUsageMeters;
import dev.filestaging.app.metrics.EventMeters;
import dev.filestaging.app.metrics.ManagementServer;
import dev.filestaging.app.metrics.MeteredStagingStore;
import dev.filestaging.app.metrics.StoreMeters;
import dev.filestaging.domain.StagingService;
import dev.filestaging.domain.credentials.ApiKeys;
import dev.filestaging.domain.links.FileLinks;
import dev.filestaging.domain.quota.Quotas;
import dev.filestaging.domain.resumable.ResumableUploadService;
import dev.filestaging.domain.storage.CatalogStagingStore;
import dev.filestaging.domain.storage.StagingStore;
import dev.filestaging.domain.upload.FileLifetimes;
import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.Role;
import dev.filestaging.ports.out.ApiKeyRepository;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;

/** The composition root: one running service built from a configuration. */
public final class FilesApp implements AutoCloseable {

    public static final OrganizationId DEFAULT_ORGANIZATION = new OrganizationId("default");

    private final Storage storage;
    private final FilesHttpServer server;
    private final AppConfig config;
    private final PrintStream console;

    private final ExecutorService contentWriters;
    /** As often as files expire (see {@link EventServices#EXPIRY_SWEEP}): an expired upload ends within that. */
    private static final java.time.Duration EXPIRY_SWEEP = EventServices.EXPIRY_SWEEP;
    private final java.util.concurrent.ScheduledExecutorService sweeper =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "upload-expiry");
                thread.setDaemon(true);
                return thread;
            });

    /** The management endpoint, when configured. */
    private ManagementServer management;
    /** The feed, webhooks and their background work, on a catalog. */
    private EventServices events;

    private FilesApp(Storage storage, FilesHttpServer server, AppConfig config, PrintStream console,
                     ExecutorService contentWriters) {
        this.contentWriters = contentWriters;
        this.storage = storage;
        this.server = server;
        this.config = config;
        this.console = console;
    }

    /** Opens storage, makes sure an API key exists, and starts serving. */
    public static FilesApp start(AppConfig config, PrintStream console) throws IOException {
        Quotas quotas = new Quotas(config.quotaBytes(), config.organizationQuotas());
        Storage storage = Storage.open(config.storageSettings(), quotas);
        ExecutorService contentWriters = StagingService.contentWriterPool();
        ManagementServer management = null;
        EventServices events = null;
        try {
            ApiKeyRepository keyRepository = storage.apiKeys();
            ApiKeys apiKeys = new ApiKeys(keyRepository, Clock.systemUTC());
            // Meters only when they can be read: the registry and its JVM binders cost a third of a second at start
            PrometheusMeterRegistry meters = config.management().isPresent() ? meters() : null;
            StagingStore files = meters == null ? storage.files() : new MeteredStagingStore(storage.files(), meters,
                    backendLabel(config),
                    new AreaUsageMeters(meters, storage.files(), quotas::allocatedBytes));
            StagingService service = StagingService.withDefaults(files, quotas, contentWriters)
                    .keepingFiles(new FileLifetimes(config.events().defaultFileLifetime(),
                            config.events().maxFileLifetime()));
            // Before serving: a client that sees /health answer may use the key at once.
            Optional<ApiKeys.IssuedKey> firstKey = ensureApiKey(config, apiKeys, keyRepository, console);
            // Tokens first: a JWT is settled without storage, while an API-key lookup may cost a bucket read.
            OAuth oauth = OAuth.wire(config.oauth(), storage.records(), Clock.systemUTC());
            ResumableUploadService resumable = service.resumableUploads(config.resumable().expiry(),
                    config.resumable().maxBytes(), config.resumable().maxOpenPerArea());
            if (config.management().isPresent()) {
                // before the API listens: a port the metrics cannot have stops start-up naming their setting
                management = ManagementServer.start(config.management().get(), meters);
            }
            FilesApi api = new FilesApi(service, service, service, service, service,
                    List.of(oauth.bearerTokens(), apiKeys), oauth.issuance(),
                    new FileLinks(storage.files(), storage.records(), Clock.systemUTC(), config.linkMaxLifetime()),
                    resumable, service.readiness());
            if (storage.files() instanceof CatalogStagingStore catalogued) {
                events = EventServices.start(catalogued, storage.webhooks(), config.events(), meters == null
                        ? dispatcher -> (webhook, attempt) -> { }
                        : dispatcher -> new EventMeters(meters, dispatcher)::attempted, console);
                api = api.withEvents(events.feed(), events.webhooks());
            }
            FilesHttpServer server = FilesHttpServer.start(config.http(), api, meters);
            FilesApp app = new FilesApp(storage, server, config, console, contentWriters);
            app.events = events;
            StoreMeters storeMeters = meters == null ? null : new StoreMeters(files, meters);
            app.expireIdleUploads(resumable, storeMeters);
            if (storage.files() instanceof CatalogStagingStore catalogued) {
                app.sweepOrphanBlobs(catalogued);
            }
            if (management != null) {
                app.management = management;
                console.printf("metrics on http://%s:%d/metrics%n", config.management().get().host(),
                        app.management.port());
            }
            firstKey.ifPresent(key -> app.printFirstKey(key));
            console.printf(java.util.Locale.ROOT, "Files API %s listening on http://%s:%d/v1/files (%s); uploads up to %,d bytes,"
                    + " %,d bytes of quota per staging area%n", version(), config.host(), server.port(),
                    storage.description(), config.maxUploadBytes(), config.quotaBytes());
            return app;
        } catch (IOException | RuntimeException e) {
            if (events != null) {
                events.close();
            }
            if (management != null) {
                management.close();
            }
            contentWriters.shutdownNow();
            storage.close();
            throw e;
        }
    }

    /** The version in the jar's manifest; "dev" when run from classes. */
    public static String version() {
        String version = FilesApp.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    /** The registry behind {@code /metrics}: the HTTP and storage meters, and the JVM's and the process's. */
    private static PrometheusMeterRegistry meters() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.jvm.JvmGcMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.system.ProcessorMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.system.UptimeMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.system.FileDescriptorMetrics().bindTo(registry);
        return registry;
    }

    /** The key created because none existed, which the console shows once the port is known. */
    private static Optional<ApiKeys.IssuedKey> ensureApiKey(AppConfig config, ApiKeys apiKeys,
                                                            ApiKeyRepository keyRepository, PrintStream console) {
        if (config.bootstrapApiKeyIfSet().isPresent()) {
            if (apiKeys.ensure(config.bootstrapApiKey(), DEFAULT_ORGANIZATION, Set.of(Role.MANAGE_FILES)).revoked()) {
                console.println("warning: FILES_BOOTSTRAP_API_KEY was revoked and stays refused; set a new one");
            }
            return Optional.empty();
        }
        if (!keyRepository.all().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(apiKeys.issue(DEFAULT_ORGANIZATION, Set.of(Role.MANAGE_FILES)));
    }

    private void printFirstKey(ApiKeys.IssuedKey key) {
        String base = "http://" + ("0.0.0.0".equals(config.host()) ? "127.0.0.1" : config.host()) + ":" + server.port();
        console.println();
        console.println("No API key existed, so one was created for organization '" + DEFAULT_ORGANIZATION
                + "' with role ManageFiles. It is shown only this once; keep it safe:");
        console.println();
        console.println("    " + key.secret());
        console.println();
        console.println("Try it:");
        console.println("    export FILES_API_KEY=" + key.secret());
        console.println("    curl -H \"Authorization: Bearer $FILES_API_KEY\" -F 'file=@data.csv' " + base + "/v1/files");
        console.println("    curl -H \"Authorization: Bearer $FILES_API_KEY\" " + base + "/v1/files");
        console.println("or open " + base + "/ in a browser and sign in with the key.");
        console.println();
    }

    public int port() {
        return server.port();
    }

    /**
     * Ends idle resumable uploads now and every few seconds (an expired upload frees its name and its bytes).
     *
     * @param meters counts each sweep, when meters are kept; else null
     */
    private void expireIdleUploads(ResumableUploadService resumable, StoreMeters meters) {
        sweeper.scheduleWithFixedDelay(() -> {
            try {
                int expired = resumable.expireIdle();
                if (meters != null) {
                    meters.expirySwept(expired);
                }
                if (expired > 0) {
                    console.printf("ended %d resumable uploads left without progress for %d h%n", expired,
                            config.resumable().expiry().toHours());
                }
            } catch (RuntimeException e) {
                console.println("warning: the sweep of idle resumable uploads failed, will retry: " + e.getMessage());
            }
        }, 0, EXPIRY_SWEEP.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** The storage meters' {@code backend} label: the storage, and the catalog when it is a database. */
    private static String backendLabel(AppConfig config) {
        String storage = config.storage().name().toLowerCase(java.util.Locale.ROOT);
        return config.catalog().kind() == CatalogKind.POSTGRES ? "postgres-" + storage : storage;
    }

    /**
     * Deletes blobs no file or upload has, an hour after start and hourly: every instance runs it, which is safe
     * (a blob is deleted only once the catalog says nobody has it, and deleting twice is harmless).
     */
    private void sweepOrphanBlobs(CatalogStagingStore store) {
        sweeper.scheduleWithFixedDelay(() -> {
            try {
                long removed = store.sweepOrphanBlobs();
                if (removed > 0) {
                    console.printf("deleted %d orphaned blobs%n", removed);
                }
            } catch (RuntimeException e) {
                console.println("warning: the sweep of orphaned blobs failed, will retry: " + e.getMessage());
            }
        }, 1, 1, java.util.concurrent.TimeUnit.HOURS);
    }

    /**
     * Stops gracefully: new requests are refused, uploads in progress get the shutdown grace to finish, then storage
     * is closed last. Each step is printed, since a stopping process is exactly when an operator reads the console.
     */
    @Override
    public void close() {
        long start = System.nanoTime();
        console.printf("stopping: new requests are refused; waiting up to %d s for %d uploads and downloads in progress%n",
                config.shutdownGrace().toSeconds(), server.transfersInProgress());
        boolean finished = server.stop();
        console.printf(finished ? "stopped serving after %d ms, every request finished%n"
                : "stopped serving after %d ms; requests still running were cut off (nothing half-stored)%n",
                java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        sweeper.shutdownNow();
        if (events != null) {
            events.close();
        }
        if (management != null) {
            management.close();
        }
        contentWriters.shutdownNow(); // uploads are over: what is left of a cut-off one is discarded anyway
        storage.close();
        console.println("storage closed; bye");
    }
}
