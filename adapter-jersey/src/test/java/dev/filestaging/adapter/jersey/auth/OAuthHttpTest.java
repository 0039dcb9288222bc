package dev.filestaging.adapter.jersey.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.filestaging.adapter.jersey.FilesHttpServer;
import dev.filestaging.adapter.jersey.MultipartBody;
import dev.filestaging.adapter.jersey.http.FilesApi;
import dev.filestaging.adapter.jersey.http.HttpSettings;
import dev.filestaging.adapter.oidc.Discovery;
import dev.filestaging.adapter.oidc.JwtSigner;
import dev.filestaging.adapter.oidc.JwtVerifier;
import dev.filestaging.domain.StagingService;
import dev.filestaging.domain.credentials.ApiKeys;
import dev.filestaging.domain.credentials.BearerTokens;
import dev.filestaging.domain.credentials.OAuthClients;
import dev.filestaging.domain.credentials.TokenIssuance;
import dev.filestaging.domain.fixtures.InMemoryStorage;
import dev.filestaging.domain.quota.Quotas;
import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.Role;
import dev.filestaging.ports.fixtures.InMemoryApiKeyRepository;
import dev.filestaging.ports.fixtures.InMemorySmallRecordStore;
import dev.filestaging.ports.out.AccessTokenClaims;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/** The built-in OAuth issuer over HTTP, and what tokens may do: the Keycloak-shaped endpoints, roles, organizations. */
class OAuthHttpTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final OrganizationId ACME = new OrganizationId("acme");
    private static final OrganizationId GLOBEX = new OrganizationId("globex");

    private final HttpClient client = HttpClient.newHttpClient();
    private final InMemorySmallRecordStore records = new InMemorySmallRecordStore();
    private final OAuthClients clients = new OAuthClients(records, Clock.systemUTC());
    private final JwtSigner signer = new JwtSigner(records, Clock.systemUTC());
    private final ApiKeys apiKeys = new ApiKeys(new InMemoryApiKeyRepository(), Clock.systemUTC());
    private FilesHttpServer server;
    private String base;

    @BeforeEach
    void start() throws Exception {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        base = "http://127.0.0.1:" + port;
        StagingService files = StagingService.withDefaults(new InMemoryStorage(), Quotas.uniform(1_000_000));
        TokenIssuance tokens = new TokenIssuance(clients, signer, Clock.systemUTC(), Duration.ofMinutes(5), base);
        BearerTokens bearer = new BearerTokens(new JwtVerifier(signer, base, List.of(), new Discovery()));
        server = FilesHttpServer.start(new HttpSettings("127.0.0.1", port, HttpSettings.DEFAULT_MAX_UPLOAD_BYTES, 8),
                new FilesApi(files, files, files, files, files, List.of(apiKeys, bearer), tokens, null,
                        files.resumableUploads(java.time.Duration.ofDays(1), HttpSettings.DEFAULT_MAX_UPLOAD_BYTES)));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> tokenRequest(String realm, String form, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create(base + "/auth/realms/" + realm + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return send(request.build());
    }

    private static String form(String clientId, String secret) {
        return "grant_type=client_credentials&client_id=" + URLEncoder.encode(clientId, StandardCharsets.UTF_8)
                + "&client_secret=" + URLEncoder.encode(secret, StandardCharsets.UTF_8);
    }

    private String tokenFor(OrganizationId organization, Role role) throws Exception {
        OAuthClients.IssuedClient created = clients.create(organization, Set.of(role));
        HttpResponse<String> response = tokenRequest(organization.value(), form(created.clientId(), created.secret()), null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).get("access_token").asText();
    }

    private HttpResponse<String> call(String method, String path, String token, HttpRequest.BodyPublisher body,
                                      String contentType) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + token).method(method, body);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return send(request.build());
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        return call("GET", path, token, HttpRequest.BodyPublishers.noBody(), null);
    }

    private HttpResponse<String> upload(String token, String name) throws Exception {
        return call("POST", "/v1/files", token, HttpRequest.BodyPublishers.ofByteArray(
                MultipartBody.singleFile(name, "a,b\n".getBytes(StandardCharsets.UTF_8))), MultipartBody.contentType());
    }

    @Test
    void the_keycloak_token_endpoint_issues_a_bearer_token_that_the_files_api_accepts() throws Exception {
        OAuthClients.IssuedClient created = clients.create(ACME, Set.of(Role.MANAGE_FILES));

        HttpResponse<String> response = tokenRequest("acme", form(created.clientId(), created.secret()), null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(body.get("expires_in").asLong()).isEqualTo(300);
        String token = body.get("access_token").asText();
        assertThat(upload(token, "a.csv").statusCode()).isEqualTo(201);
        JsonNode listing = JSON.readTree(get("/v1/files", token).body());
        assertThat(listing.get("files").get(0).get("uploadedByUserId").asText())
                .isEqualTo(created.record().serviceAccountId());
    }

    @Test
    void client_secrets_may_come_as_http_basic_and_wrong_ones_get_invalid_client_then_429() throws Exception {
        OAuthClients.IssuedClient created = clients.create(ACME, Set.of(Role.MANAGE_FILES));
        String basic = "Basic " + Base64.getEncoder().encodeToString(
                (created.clientId() + ":" + created.secret()).getBytes(StandardCharsets.UTF_8));
        assertThat(tokenRequest("acme", "grant_type=client_credentials", basic).statusCode()).isEqualTo(200);

        HttpResponse<String> wrong = tokenRequest("acme", form(created.clientId(), "guess"), null);
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(wrong.body()).get("error").asText()).isEqualTo("invalid_client");
        assertThat(wrong.headers().firstValue("WWW-Authenticate")).as("no Basic challenge to credentials sent in the"
                + " form: a browser would open its login box").isEmpty();
        HttpResponse<String> wrongBasic = tokenRequest("acme", "grant_type=client_credentials", "Basic "
                + Base64.getEncoder().encodeToString((created.clientId() + ":guess").getBytes(StandardCharsets.UTF_8)));
        assertThat(wrongBasic.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"acme\"");
        assertThat(tokenRequest("globex", form(created.clientId(), created.secret()), null).statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(tokenRequest("acme", "grant_type=password&username=x", null).body())
                .get("error").asText()).isEqualTo("unsupported_grant_type");
        // one fewer than before the wrong Basic attempt above: the count of failures is the same
        for (int i = 0; i < 3; i++) {
            tokenRequest("acme", form(created.clientId(), "guess-" + i), null);
        }
        HttpResponse<String> limited = tokenRequest("acme", form(created.clientId(), created.secret()), null);
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).isPresent();
        assertThat(limited.body()).doesNotContain(created.secret());
    }

    @Test
    void discovery_and_jwks_describe_the_issuer_without_any_private_key() throws Exception {
        JsonNode metadata = JSON.readTree(send(HttpRequest.newBuilder(
                URI.create(base + "/auth/realms/acme/.well-known/openid-configuration")).build()).body());
        assertThat(metadata.get("issuer").asText()).isEqualTo(base + "/auth/realms/acme");
        assertThat(metadata.get("token_endpoint").asText())
                .isEqualTo(base + "/auth/realms/acme/protocol/openid-connect/token");

        HttpResponse<String> jwks = send(HttpRequest.newBuilder(URI.create(metadata.get("jwks_uri").asText())).build());
        assertThat(jwks.statusCode()).isEqualTo(200);
        JsonNode key = JSON.readTree(jwks.body()).get("keys").get(0);
        assertThat(key.get("kty").asText()).isEqualTo("EC");
        assertThat(key.has("d")).isFalse();
        // a dot segment, even encoded, is never answered without credentials (AuthenticationFilter), and never found
        assertThat(send(HttpRequest.newBuilder(URI.create(base + "/auth/realms/..%2Fx/.well-known/openid-configuration"))
                .build()).statusCode()).isIn(401, 404);
    }

    @Test
    void an_expired_token_gets_401_invalid_token_naming_its_exp_and_the_body_never_echoes_it() throws Exception {
        Instant expiredAt = Instant.now().minusSeconds(120).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        String expired = signer.sign(new AccessTokenClaims(base + "/auth/realms/acme", "sa-1", "c", ACME,
                Set.of(Role.MANAGE_FILES), expiredAt.minusSeconds(300), expiredAt));

        HttpResponse<String> response = get("/v1/files", expired);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow())
                .startsWith("Bearer").contains("error=\"invalid_token\"");
        assertThat(response.body()).contains("expired at " + expiredAt).contains("exp").doesNotContain(expired);
        assertThat(get("/v1/files", "not.a.token").statusCode()).isEqualTo(401);
    }

    @Test
    void the_read_only_role_lists_and_reads_but_gets_403_for_uploads_and_deletes() throws Exception {
        String manager = tokenFor(ACME, Role.MANAGE_FILES);
        String reader = tokenFor(ACME, Role.READ_FILES);
        assertThat(upload(manager, "a.csv").statusCode()).isEqualTo(201);

        assertThat(get("/v1/files", reader).statusCode()).isEqualTo(200);
        assertThat(get("/v1/files/a.csv", reader).statusCode()).isEqualTo(200);
        assertThat(upload(reader, "b.csv").statusCode()).isEqualTo(403);
        assertThat(call("DELETE", "/v1/files/a.csv", reader, HttpRequest.BodyPublishers.noBody(), null).statusCode())
                .isEqualTo(403);
        assertThat(get("/v1/files/a.csv", manager).statusCode()).isEqualTo(200);
    }

    @Test
    void a_token_of_one_organization_never_sees_overwrites_or_deletes_another_organizations_files() throws Exception {
        String acme = tokenFor(ACME, Role.MANAGE_FILES);
        String globex = tokenFor(GLOBEX, Role.MANAGE_FILES);
        assertThat(upload(acme, "same-name.csv").statusCode()).isEqualTo(201);

        assertThat(JSON.readTree(get("/v1/files", globex).body()).get("files")).isEmpty();
        assertThat(get("/v1/files/same-name.csv", globex).statusCode()).isEqualTo(404);
        assertThat(call("DELETE", "/v1/files/same-name.csv", globex, HttpRequest.BodyPublishers.noBody(), null)
                .statusCode()).isEqualTo(404);
        assertThat(upload(globex, "same-name.csv").statusCode()).isEqualTo(201);
        assertThat(JSON.readTree(get("/v1/files", acme).body()).get("files")).hasSize(1);
        assertThat(get("/v1/files/same-name.csv", acme).statusCode()).isEqualTo(200);
    }
}
