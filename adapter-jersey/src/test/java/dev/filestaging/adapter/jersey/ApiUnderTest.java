package dev.filestaging.adapter.jersey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.filestaging.adapter.jersey.http.FilesApi;
import dev.filestaging.adapter.jersey.http.HttpSettings;
import dev.filestaging.domain.StagingService;
import dev.filestaging.domain.credentials.ApiKeys;
import dev.filestaging.domain.fixtures.InMemoryStorage;
import dev.filestaging.domain.quota.Quotas;
import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.Role;
import dev.filestaging.ports.fixtures.InMemoryApiKeyRepository;
import dev.filestaging.ports.in.ShareFile;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * A real server over the real domain and an in-memory store, with one {@code ManageFiles} key of organization
 * {@code default}, and the requests tests send to it. Close it after the test.
 */
public final class ApiUnderTest implements AutoCloseable {
    public static final OrganizationId ORG = new OrganizationId("default");
    public static final long MAX_RESUMABLE_BYTES = 1L << 30;

    public final InMemoryStorage store = new InMemoryStorage();
    public final ApiKeys apiKeys = new ApiKeys(new InMemoryApiKeyRepository(), Clock.systemUTC());
    public final HttpClient client = HttpClient.newHttpClient();
    public final FilesHttpServer server;
    /** Where webhooks are registered; deliveries happen when a test calls {@code dispatcher.tick()}. */
    public final dev.filestaging.ports.fixtures.InMemoryWebhookStore webhooks =
            new dev.filestaging.ports.fixtures.InMemoryWebhookStore();
    public final dev.filestaging.domain.events.WebhookDispatcher dispatcher;
    /** The key requests carry; a test may swap it for another. */
    public String key = apiKeys.issue(ORG, Set.of(Role.MANAGE_FILES)).secret();

    public ApiUnderTest(HttpSettings settings) throws IOException {
        this(settings, store -> null);
    }

    /** @param links signed links over the store, or null for none */
    public ApiUnderTest(HttpSettings settings, Function<InMemoryStorage, ShareFile> links) throws IOException {
        this(settings, links, Quotas.POLARIS_DEFAULT_BYTES);
    }

    /** With every staging area's quota {@code quotaBytes}. */
    public ApiUnderTest(HttpSettings settings, Function<InMemoryStorage, ShareFile> links, long quotaBytes)
            throws IOException {
        this(settings, links, quotaBytes, Clock.systemUTC(), null);
    }

    /** @param clock the domain's clock: the time files are stored at */
    public ApiUnderTest(HttpSettings settings, Function<InMemoryStorage, ShareFile> links, Clock clock)
            throws IOException {
        this(settings, links, Quotas.POLARIS_DEFAULT_BYTES, clock, null);
    }

    /** @param meters where the HTTP meters go */
    public ApiUnderTest(HttpSettings settings, Function<InMemoryStorage, ShareFile> links,
                 io.micrometer.core.instrument.MeterRegistry meters) throws IOException {
        this(settings, links, Quotas.POLARIS_DEFAULT_BYTES, Clock.systemUTC(), meters);
    }

    /** @param meters where the HTTP meters go, or null for none */
    private ApiUnderTest(HttpSettings settings, Function<InMemoryStorage, ShareFile> links, long quotaBytes,
                         Clock clock, io.micrometer.core.instrument.MeterRegistry meters) throws IOException {
        StagingService service = new StagingService(store, Quotas.uniform(quotaBytes), clock,
                java.util.UUID::randomUUID, StagingService.contentWriterPool())
                .keepingFiles(new dev.filestaging.domain.upload.FileLifetimes(java.util.Optional.empty(),
                        java.time.Duration.ofDays(7)));
        dev.filestaging.adapter.jersey.events.HttpWebhookTransport transport =
                new dev.filestaging.adapter.jersey.events.HttpWebhookTransport(
                        dev.filestaging.adapter.jersey.events.HttpWebhookTransport.Settings.defaults("test")
                                .allowingPrivateTargets(true));
        dispatcher = new dev.filestaging.domain.events.WebhookDispatcher(webhooks, transport, store.catalog(), clock,
                Runnable::run, (id, attempt) -> { });
        server = FilesHttpServer.start(settings, new FilesApi(service, service, service, service, service,
                List.of(apiKeys), null, links.apply(store),
                service.resumableUploads(java.time.Duration.ofHours(24), MAX_RESUMABLE_BYTES))
                .withEvents(new dev.filestaging.domain.events.EventFeed(store.catalog(), clock),
                        new dev.filestaging.domain.events.Webhooks(webhooks, transport, store.catalog(), clock)),
                meters);
    }

    public static HttpSettings settings() {
        return new HttpSettings("127.0.0.1", 0, HttpSettings.DEFAULT_MAX_UPLOAD_BYTES, 8);
    }

    public URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server.port() + pathAndQuery);
    }

    /** A request to this server carrying the key. */
    public HttpRequest.Builder authorized(String pathAndQuery) {
        return HttpRequest.newBuilder(uri(pathAndQuery)).header("Authorization", "Bearer " + key);
    }

    public HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** GET with the key and the given header name/value pairs. */
    public HttpResponse<String> get(String pathAndQuery, String... headers) throws Exception {
        HttpRequest.Builder request = authorized(pathAndQuery);
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request);
    }

    /** Uploads {@code content} as {@code name} to the files address {@code base}; asserts 201. */
    public HttpResponse<String> upload(String base, String name, byte[] content) throws Exception {
        HttpResponse<String> response = send(authorized(base).header("Content-Type", MultipartBody.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(MultipartBody.singleFile(name, content))));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return response;
    }

    public static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    @Override
    public void close() {
        server.close();
    }
}
