package dev.filestaging.adapter.jersey.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.filestaging.adapter.jersey.FilesHttpServer;
import dev.filestaging.adapter.jersey.http.FilesApi;
import dev.filestaging.adapter.jersey.http.HttpSettings;
import dev.filestaging.adapter.oidc.JwtSigner;
import dev.filestaging.domain.StagingService;
import dev.filestaging.domain.credentials.ApiKeys;
import dev.filestaging.domain.credentials.OAuthClients;
import dev.filestaging.domain.credentials.TokenIssuance;
import dev.filestaging.domain.fixtures.InMemoryStorage;
import dev.filestaging.domain.quota.Quotas;
import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.Role;
import dev.filestaging.ports.fixtures.InMemoryApiKeyRepository;
import dev.filestaging.ports.fixtures.InMemorySmallRecordStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The token endpoint as unauthenticated callers can use it: malformed, oversized and ambiguous requests are 400/413
 * (never a 500 with a stack trace in the log), and failures lock out the source that fails, not the client it names.
 */
class TokenEndpointHardeningHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final OrganizationId ACME = new OrganizationId("acme");

    private final HttpClient client = HttpClient.newHttpClient();
    private final InMemorySmallRecordStore records = new InMemorySmallRecordStore();
    private final OAuthClients clients = new OAuthClients(records, Clock.systemUTC());
    private final List<LogRecord> errors = new ArrayList<>();
    private final Handler errorsOnly = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
                synchronized (errors) {
                    errors.add(record);
                }
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private FilesHttpServer server;
    private String endpoint;

    /** @param trustedProxies the peers whose X-Forwarded-For is believed */
    private void start(List<String> trustedProxies) throws Exception {
        Logger.getLogger("").addHandler(errorsOnly);
        StagingService files = StagingService.withDefaults(new InMemoryStorage(), Quotas.uniform(1_000_000));
        server = FilesHttpServer.start(new HttpSettings("127.0.0.1", 0, HttpSettings.DEFAULT_MAX_UPLOAD_BYTES, 8,
                        HttpSettings.DEFAULT_IDLE_TIMEOUT, HttpSettings.DEFAULT_MIN_UPLOAD_BYTES_PER_SECOND, 0,
                        HttpSettings.DEFAULT_SHUTDOWN_GRACE, Optional.empty(), trustedProxies, List.of()),
                new FilesApi(files, files, files, files, files,
                        List.of(new ApiKeys(new InMemoryApiKeyRepository(), Clock.systemUTC())), new TokenIssuance(clients,
                        new JwtSigner(records, Clock.systemUTC()), Clock.systemUTC(), Duration.ofMinutes(5),
                        "http://files.test"), null, files.resumableUploads(java.time.Duration.ofDays(1), HttpSettings.DEFAULT_MAX_UPLOAD_BYTES)));
        endpoint = "http://127.0.0.1:" + server.port() + "/auth/realms/acme/protocol/openid-connect/token";
    }

    @AfterEach
    void stop() {
        Logger.getLogger("").removeHandler(errorsOnly);
        if (server != null) {
            server.close();
        }
    }

    private HttpResponse<String> post(String query, String form, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(endpoint + query))
                .POST(form == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(form));
        if (form != null) {
            request.header("Content-Type", "application/x-www-form-urlencoded");
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String form(String clientId, String secret) {
        return "grant_type=client_credentials&client_id=" + URLEncoder.encode(clientId, StandardCharsets.UTF_8)
                + "&client_secret=" + URLEncoder.encode(secret, StandardCharsets.UTF_8);
    }

    private static void assertError(HttpResponse<String> response, int status, String error) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(JSON.readTree(response.body()).get("error").asText()).isEqualTo(error);
        assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
    }

    @Test
    void parameters_in_the_query_are_400_invalid_request_and_log_no_error() throws Exception {
        start(List.of());
        OAuthClients.IssuedClient acme = clients.create(ACME, Set.of(Role.READ_FILES));
        String parameters = "?" + form(acme.clientId(), acme.secret());

        assertError(post(parameters, null), 400, "invalid_request");
        assertError(post(parameters, ""), 400, "invalid_request");
        assertError(post(parameters, form(acme.clientId(), acme.secret())), 400, "invalid_request");
        assertThat(post("", form(acme.clientId(), acme.secret())).statusCode()).isEqualTo(200);
        assertError(post("", null), 400, "invalid_request");
        assertThat(errors).as("no stack trace for what a client sent").isEmpty();
    }

    @Test
    void a_form_over_64_kib_is_413_and_logs_no_error() throws Exception {
        start(List.of());
        OAuthClients.IssuedClient acme = clients.create(ACME, Set.of(Role.READ_FILES));

        HttpResponse<String> tooLarge = post("", form(acme.clientId(), acme.secret()) + "&padding="
                + "x".repeat(100 * 1024));

        assertThat(tooLarge.statusCode()).as(tooLarge.body()).isEqualTo(413);
        assertThat(errors).isEmpty();
        assertThat(post("", form(acme.clientId(), acme.secret())).statusCode()).isEqualTo(200);
    }

    @Test
    void a_parameter_sent_twice_is_400_invalid_request() throws Exception {
        start(List.of());
        OAuthClients.IssuedClient acme = clients.create(ACME, Set.of(Role.READ_FILES));
        OAuthClients.IssuedClient other = clients.create(ACME, Set.of(Role.MANAGE_FILES));
        String valid = form(acme.clientId(), acme.secret());

        for (String repeated : List.of(valid + "&grant_type=client_credentials", valid + "&client_id=" + other.clientId(),
                valid + "&client_secret=" + other.secret(), valid + "&scope=a&scope=b", valid + "&grant_type",
                valid + "&client%5Fid=" + acme.clientId(), valid + "&%zz=1")) {
            assertError(post("", repeated), 400, "invalid_request");
        }
        assertThat(errors).isEmpty();
    }

    @Test
    void basic_and_form_credentials_together_are_400_whichever_is_right() throws Exception {
        start(List.of());
        OAuthClients.IssuedClient acme = clients.create(ACME, Set.of(Role.READ_FILES));
        String basic = "Basic " + java.util.Base64.getEncoder().encodeToString((acme.clientId() + ":" + acme.secret())
                .getBytes(StandardCharsets.UTF_8));

        assertError(post("", form(acme.clientId(), "wrong"), "Authorization", basic), 400, "invalid_request");
        assertError(post("", "grant_type=client_credentials&client_id=other", "Authorization", basic), 400,
                "invalid_request");
        assertThat(post("", "grant_type=client_credentials&client_id=" + acme.clientId(), "Authorization", basic)
                .statusCode()).isEqualTo(200);
        assertThat(post("", "grant_type=client_credentials", "Authorization", basic).statusCode()).isEqualTo(200);
    }

    @Test
    void failures_lock_out_the_source_not_the_client_it_names() throws Exception {
        start(List.of("127.0.0.1", "::1"));
        OAuthClients.IssuedClient acme = clients.create(ACME, Set.of(Role.READ_FILES));
        for (int i = 0; i < 5; i++) {
            // what a client prepends is not believed: the proxy's entry on the right is
            assertError(post("", form(acme.clientId(), "guess-" + i), "X-Forwarded-For", "10.9.9." + i + ", 198.51.100.7"),
                    401, "invalid_client");
        }

        assertError(post("", form(acme.clientId(), acme.secret()), "X-Forwarded-For", "198.51.100.7"), 429, "slow_down");
        HttpResponse<String> realClient = post("", form(acme.clientId(), acme.secret()), "X-Forwarded-For", "192.0.2.10");
        assertThat(realClient.statusCode()).as(realClient.body()).isEqualTo(200);
    }

    @Test
    void an_untrusted_peer_cannot_escape_its_lockout_with_x_forwarded_for() throws Exception {
        start(List.of());
        OAuthClients.IssuedClient acme = clients.create(ACME, Set.of(Role.READ_FILES));
        for (int i = 0; i < 5; i++) {
            assertError(post("", form(acme.clientId(), "guess-" + i), "X-Forwarded-For", "10.9.9." + i), 401,
                    "invalid_client");
        }

        assertError(post("", form("another-client", "guess"), "X-Forwarded-For", "192.0.2.77"), 429, "slow_down");
    }

    @Test
    void hostile_forms_are_answered_in_bounded_time() throws Exception {
        start(List.of("127.0.0.1"));
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            long started = System.nanoTime();
            assertError(post("", "a=1&".repeat(16_000)), 400, "invalid_request");
            assertError(post("", "&".repeat(60_000) + "grant_type=client_credentials"), 400, "invalid_request");
            assertError(post("", "grant_type=" + "%41".repeat(20_000)), 400, "unsupported_grant_type");
            for (int i = 0; i < 500; i++) { // 500 sources, each failing once: one record each, bounded in the domain
                post("", form("client-" + i, "guess"), "X-Forwarded-For", "203.0.113." + (i % 250) + ", 198.18." + i / 250
                        + "." + i % 250);
            }
            assertError(post("", form("c", "s"), "X-Forwarded-For", "1," + " ".repeat(6000) + ",::1"), 401,
                    "invalid_client");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        });
        assertThat(errors).isEmpty();
    }
}
