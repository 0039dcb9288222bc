package dev.filestaging.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.filestaging.adapter.s3.testing.S3TestServer;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nobody let in, nothing given away: credentials that must fail, organizations that must not meet (by id, by name, by
 * path tricks), a body that is not read before authentication, and answers and logs that never carry secrets, stack
 * traces or a server version. Against the running app, over raw HTTP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecurityIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TOKEN_LIFETIME = Duration.ofSeconds(10);

    @TempDir
    static Path work;
    private Backend backend;
    private RunningApp app;
    private String otherKey;
    private String oauthSecret;
    private String token;
    private long tokenIssued;
    private final List<RawHttp.Response> answers = new ArrayList<>();
    private ReliabilityReport report;

    @BeforeAll
    void start() throws Exception {
        backend = new Backend.LocalDisk(work);
        app = backend.start(Map.of("FILES_OAUTH_TOKEN_LIFETIME_SECONDS", Long.toString(TOKEN_LIFETIME.toSeconds()),
                "FILES_OAUTH_CLOCK_SKEW_SECONDS", "0"));
        report = new ReliabilityReport("security", backend.name());
        otherKey = command("api-key", "create", "--org", "other").lines()
                .filter(line -> line.matches("[A-Za-z0-9_-]{20,}")).findFirst().orElseThrow();
        String client = command("oauth-client", "create", "--org", "default");
        String clientId = value(client, "client_id=");
        oauthSecret = value(client, "client_secret=");
        RawHttp.Response issued = send("POST /auth/realms/default/protocol/openid-connect/token HTTP/1.1\r\nHost: x\r\nContent-Type:"
                + " application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n", "grant_type=client_credentials"
                + "&client_id=" + clientId + "&client_secret=" + oauthSecret);
        assertThat(issued.status()).as(issued.body()).isEqualTo(200);
        token = JSON.readTree(issued.body()).get("access_token").asText();
        tokenIssued = System.nanoTime();
        assertThat(new Invariants(backend, app).upload("secret-plans.csv", "a,b\n".getBytes()).status()).isEqualTo(201);
    }

    @AfterAll
    void stop() throws Exception {
        report.write();
        app.close();
    }

    private String command(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", RunningApp.JAR.toString()));
        command.addAll(List.of(arguments));
        E2e.Result result = E2e.run(command, Map.of("FILES_DATA_DIR", backend.dataDirectory().toString()));
        assertThat(result.exitCode()).as(result.output()).isZero();
        return result.output();
    }

    private static String value(String output, String prefix) {
        return output.lines().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow().substring(prefix.length());
    }

    /** Sends a request ({@code %d} in the head becomes the body's length) and remembers the answer for later checks. */
    private RawHttp.Response send(String head, String body) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        RawHttp.Response response = RawHttp.exchange(app.port, RawHttp.concat(
                head.replace("%d", Integer.toString(bytes.length)).getBytes(StandardCharsets.UTF_8), bytes), false,
                Duration.ofSeconds(10));
        answers.add(response);
        return response;
    }

    private RawHttp.Response get(String path, String authorization) throws Exception {
        return send("GET " + path + " HTTP/1.1\r\nHost: x\r\n" + authorization + "\r\n\r\n", "");
    }

    private static String bearer(String credential) {
        return "Authorization: Bearer " + credential;
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void a_revoked_api_key_is_refused_within_a_second_by_the_running_server() throws Exception {
        String created = command("api-key", "create", "--org", "default");
        String key = created.lines().filter(line -> line.matches("[A-Za-z0-9_-]{20,}")).findFirst().orElseThrow();
        java.util.regex.Matcher id = java.util.regex.Pattern.compile("id ([0-9a-f-]{36})").matcher(created);
        assertThat(id.find()).as(created).isTrue();
        assertThat(get("/v1/files", bearer(key)).status()).isEqualTo(200);

        String revoked = command("api-key", "revoke", id.group(1).substring(0, 8));
        long revokedAt = System.nanoTime();
        assertThat(revoked).contains("revoked API key " + id.group(1)).doesNotContain(key);
        int status;
        do {
            status = get("/v1/files", bearer(key)).status();
        } while (status == 200 && System.nanoTime() - revokedAt < Duration.ofSeconds(3).toNanos());
        long millis = Duration.ofNanos(System.nanoTime() - revokedAt).toMillis();

        assertThat(status).isEqualTo(401);
        assertThat(millis).isLessThan(1_500);
        assertThat(command("api-key", "list")).contains(id.group(1)).contains("revoked").doesNotContain(key);
        report.passed("API key revoked with the CLI while the server runs", "401 after " + millis + " ms", null);
    }

    @Test
    void missing_wrong_and_forged_credentials_get_401_and_see_nothing() throws Exception {
        String[] payload = token.split("\\.");
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(payload[1]));
        String otherOrgClaims = b64(claims.toString().replace("\"default\"", "\"other\""));
        Map<String, String> refused = new java.util.LinkedHashMap<>();
        refused.put("no credentials", "X-None: 1");
        refused.put("unknown API key", bearer("not-a-key-0123456789abcdef"));
        refused.put("Basic with an unknown key", "Authorization: Basic " + Base64.getEncoder()
                .encodeToString("not-a-key-0123456789abcdef:".getBytes(StandardCharsets.UTF_8)));
        refused.put("JWT with alg none", bearer(b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + payload[1] + "."));
        refused.put("JWT with HS256 and a guessed secret", bearer(b64("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "."
                + payload[1] + "." + b64("signature")));
        refused.put("our JWT with its organization changed", bearer(payload[0] + "." + otherOrgClaims + "." + payload[2]));
        refused.put("our JWT with its signature cut", bearer(payload[0] + "." + payload[1] + "."));
        refused.put("garbage bearer", bearer("a.b.c"));
        for (Map.Entry<String, String> credential : refused.entrySet()) {
            RawHttp.Response response = get("/v1/files", credential.getValue());
            assertThat(response.status()).as(credential.getKey() + ": " + response.body()).isEqualTo(401);
            assertThat(response.header("WWW-Authenticate")).as(credential.getKey()).isNotNull();
            assertThat(response.body()).doesNotContain("secret-plans");
            report.passed(credential.getKey(), "401 " + JSON.readTree(response.body()).get("code").asText(), null);
        }
        assertThat(get("/v1/files", bearer(token)).status()).as("the real token works").isEqualTo(200);
    }

    @Test
    @Order(Integer.MAX_VALUE) // last: the other tests use the token while it is valid
    void an_expired_token_gets_401_invalid_token_naming_its_expiry() throws Exception {
        long age = System.nanoTime() - tokenIssued;
        Thread.sleep(Math.max(0, TOKEN_LIFETIME.plusSeconds(1).toNanos() - age) / 1_000_000);

        RawHttp.Response response = get("/v1/files", bearer(token));

        assertThat(response.status()).as(response.body()).isEqualTo(401);
        assertThat(JSON.readTree(response.body()).get("code").asText()).isEqualTo("invalid_token");
        assertThat(response.body()).contains("exp");
        assertThat(response.header("WWW-Authenticate")).contains("error=\"invalid_token\"");
        report.passed("our own token, expired (lifetime 10 s, no clock skew)", "401 invalid_token naming exp", null);
    }

    @Test
    void another_organization_never_reaches_a_file_by_id_name_or_path_tricks() throws Exception {
        JsonNode mine = JSON.readTree(get("/v1/files", bearer(Backend.KEY)).body()).get("files").get(0);
        String id = mine.get("id").asText();
        List<String> paths = List.of(
                "/v1/files/secret-plans.csv",
                "/v1/files/" + id,
                "/v1/files/..%2F..%2Fdefault%2Fdefault%2Fsecret-plans.csv",
                "/v1/files/%2e%2e%2fsecret-plans.csv",
                "/v1/projects/..%2Fdefault/files/secret-plans.csv",
                "/v1/projects/default/files/secret-plans.csv",
                "/v1/projects/default/../files/secret-plans.csv",
                "/v1/files/secret-plans.csv%00",
                "/v1/files/secret-plans.csv/",
                "/v1/organizations/default/files/secret-plans.csv",
                "//v1/files/secret-plans.csv");
        for (String path : paths) {
            RawHttp.Response response = get(path, bearer(otherKey));
            assertThat(response.status()).as(path + ": " + response.body()).isIn(400, 404);
            assertThat(response.body()).as(path).doesNotContain("\"sizeBytes\"").doesNotContain("\"digest\"");
            RawHttp.Response delete = send("DELETE " + path + " HTTP/1.1\r\nHost: x\r\n" + bearer(otherKey) + "\r\n\r\n",
                    "");
            assertThat(delete.status()).as("DELETE " + path).isIn(400, 404, 405);
            report.passed("other organization: GET and DELETE " + path, response.status() + " / " + delete.status(), null);
        }
        RawHttp.Response listing = get("/v1/files", bearer(otherKey));
        assertThat(JSON.readTree(listing.body()).get("files")).isEmpty();
        assertThat(JSON.readTree(get("/v1/files", bearer(Backend.KEY)).body()).get("files")).hasSize(1);
        report.passed("other organization lists its own area", "empty; the owner still has its file", null);
    }

    @Test
    void an_upload_with_bad_credentials_is_refused_before_its_body_is_read() throws Exception {
        long declared = 50L * 1024 * 1024;
        try (Socket socket = new Socket("127.0.0.1", app.port)) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(RawHttp.uploadHead(bearer("not-a-key-0123456789abcdef"),
                    "multipart/form-data; boundary=" + RawHttp.BOUNDARY, "Content-Length: " + declared + "\r\n", ""));
            socket.getOutputStream().write(new byte[64 * 1024]);
            socket.getOutputStream().flush();
            long started = System.nanoTime();
            RawHttp.Response response = RawHttp.read(socket.getInputStream());
            long millis = (System.nanoTime() - started) / 1_000_000;
            answers.add(response);
            assertThat(response.status()).isEqualTo(401);
            assertThat(socket.getInputStream().read()).as("the server closed the connection instead of reading on")
                    .isEqualTo(-1);
            report.passed("bad credentials on a 50 MiB upload, 64 KiB of it sent", "401 after " + millis
                    + " ms, connection closed; the other 49.9 MiB never needed", null);
        }
    }

    @Test
    void answers_carry_safety_headers_no_server_version_no_stack_trace_and_no_secret() throws Exception {
        answers.add(get("/v1/files", bearer(Backend.KEY)));
        answers.add(get("/nowhere", bearer(Backend.KEY)));
        answers.add(get("/%zz", bearer(Backend.KEY)));
        answers.add(send("PATCH /v1/files HTTP/1.1\r\nHost: x\r\n" + bearer(Backend.KEY) + "\r\n\r\n", ""));
        answers.add(get("/health", ""));
        for (RawHttp.Response answer : new ArrayList<>(answers)) {
            assertThat(answer.body()).doesNotContain("Exception", "\tat ", "<html", Backend.KEY, otherKey, oauthSecret,
                    S3TestServer.SECRET_KEY);
            String server = answer.header("Server");
            assertThat(server == null || !server.matches(".*\\d.*")).as("Server: " + server).isTrue();
            if (!answer.body().isEmpty()) {
                assertThat(answer.header("X-Content-Type-Options")).as(answer.status() + " " + answer.body())
                        .isEqualTo("nosniff");
                assertThat(answer.header("Content-Type")).startsWith("application/");
            }
        }
        String log = app.output();
        assertThat(log).doesNotContain("\tat ", Backend.KEY, otherKey, oauthSecret, token);
        report.passed(answers.size() + " answers of this suite (200, 400, 401, 404, 405...)", "nosniff on every body,"
                + " JSON only, no Server version, no stack trace, no key, secret or token; the log neither", null);
    }
}
