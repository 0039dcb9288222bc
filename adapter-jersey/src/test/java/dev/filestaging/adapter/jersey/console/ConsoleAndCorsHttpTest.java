package dev.filestaging.adapter.jersey.console;

import static dev.filestaging.adapter.jersey.ApiUnderTest.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.filestaging.adapter.jersey.ApiUnderTest;
import dev.filestaging.adapter.jersey.http.HttpSettings;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The console's files, the paths that need no credentials, {@code /v1/me}, and CORS, over HTTP. */
class ConsoleAndCorsHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PAGE_ORIGIN = "https://app.example.com";
    private ApiUnderTest api;

    @AfterEach
    void close() {
        if (api != null) {
            api.close();
        }
    }

    private HttpResponse<String> anonymous(String method, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(api.uri(path)).method(method,
                HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return api.send(request);
    }

    @Test
    void the_console_is_served_without_credentials_under_a_strict_policy() throws Exception {
        api = new ApiUnderTest(ApiUnderTest.settings());
        HttpResponse<String> root = anonymous("GET", "/");
        assertThat(root.statusCode()).isEqualTo(303);
        assertThat(header(root, "Location")).endsWith("/console/");
        assertThat(header(anonymous("GET", "/console"), "Location")).endsWith("/console/");

        HttpResponse<String> page = anonymous("GET", "/console/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(header(page, "Content-Type")).startsWith("text/html");
        assertThat(header(page, "Content-Security-Policy")).isEqualTo(ConsoleResource.CONTENT_SECURITY_POLICY)
                .contains("script-src 'self';").contains("connect-src 'self';").doesNotContain("unsafe");
        assertThat(page.body()).contains("<script type=\"module\" src=\"console.js\">").doesNotContain("<script>")
                .doesNotContain("style=");
        for (String asset : List.of("console.js", "console.css", "favicon.svg", "vendor/uppy.min.mjs",
                "vendor/uppy.min.css", "vendor/LICENSE", "vendor/VENDORED.txt")) {
            assertThat(anonymous("GET", "/console/" + asset).statusCode()).as(asset).isEqualTo(200);
        }
        assertThat(header(anonymous("GET", "/console/console.js"), "Content-Type")).startsWith("text/javascript");
        assertThat(anonymous("GET", "/console/index.html").statusCode()).isEqualTo(404);
        assertThat(anonymous("GET", "/console/vendor/uppy.min.mjs.map").statusCode()).isEqualTo(404);
    }

    @Test
    void unknown_paths_outside_the_api_are_404_and_api_paths_still_need_credentials() throws Exception {
        api = new ApiUnderTest(ApiUnderTest.settings());
        for (String path : List.of("/favicon.ico", "/DOCS/", "/robots.txt", "/console/nothing.js", "/v2/files")) {
            HttpResponse<String> answer = anonymous("GET", path);
            assertThat(answer.statusCode()).as(path).isEqualTo(404);
            assertThat(JSON.readTree(answer.body()).get("code").asText()).as(path).isEqualTo("not_found");
        }
        // nothing that a normalising hop could turn into an API path is let through without credentials
        for (String path : List.of("/v1/files", "/V1/files", "/v1;x/files", "/console/../v1/files",
                "/console/%2e%2e/v1/files", "/x/..%2fv1/files", "/console/..;/v1/files", "/console%2f..%2fv1/files")) {
            assertThat(anonymous("GET", path).statusCode()).as(path).isIn(400, 401);
        }
    }

    @Test
    void me_names_the_organization_the_service_account_and_the_roles() throws Exception {
        api = new ApiUnderTest(ApiUnderTest.settings());
        JsonNode me = JSON.readTree(api.get("/v1/me").body());
        assertThat(me.get("organization").asText()).isEqualTo("default");
        assertThat(me.get("roles").toString()).isEqualTo("[\"ManageFiles\"]");
        assertThat(me.get("serviceAccountId").asText()).isNotBlank();
        assertThat(anonymous("GET", "/v1/me").statusCode()).isEqualTo(401);
    }

    @Test
    void the_vendored_files_are_the_ones_their_record_names() throws Exception {
        String record = new String(getClass().getClassLoader().getResourceAsStream(
                "dev/filestaging/adapter/jersey/console/vendor/VENDORED.txt").readAllBytes());
        Map<String, String> digests = record.lines().filter(line -> line.startsWith("sha256 "))
                .collect(Collectors.toMap(line -> line.substring(7, line.indexOf(':')),
                        line -> line.substring(line.indexOf(':') + 1).strip()));
        assertThat(digests).containsOnlyKeys("uppy.min.mjs", "uppy.min.css", "LICENSE");
        assertThat(record).containsPattern("(?m)^integrity: sha512-\\S+$").containsPattern("(?m)^version: \\d+\\.\\d+\\.\\d+$");
        for (Map.Entry<String, String> file : digests.entrySet()) {
            byte[] content = getClass().getClassLoader().getResourceAsStream(
                    "dev/filestaging/adapter/jersey/console/vendor/" + file.getKey()).readAllBytes();
            assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)))
                    .as(file.getKey() + " is what refresh-console-vendor.sh recorded").isEqualTo(file.getValue());
        }
    }

    @Test
    void without_listed_origins_no_cors_header_is_sent_and_preflights_are_refused_in_words() throws Exception {
        api = new ApiUnderTest(ApiUnderTest.settings());
        HttpResponse<String> listing = api.get("/v1/files", "Origin", PAGE_ORIGIN);
        assertThat(listing.statusCode()).isEqualTo(200);
        assertThat(header(listing, "Access-Control-Allow-Origin")).isNull();

        HttpResponse<String> preflight = anonymous("OPTIONS", "/v1/files", "Origin", PAGE_ORIGIN,
                "Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "authorization");
        assertThat(preflight.statusCode()).as("not 401: a preflight never carries credentials").isEqualTo(403);
        JsonNode problem = JSON.readTree(preflight.body());
        assertThat(problem.get("code").asText()).isEqualTo("origin_not_allowed");
        assertThat(problem.get("detail").asText()).contains(PAGE_ORIGIN).contains("FILES_HTTP_CORS_ORIGINS");
        assertThat(header(preflight, "Access-Control-Allow-Origin")).isNull();
    }

    @Test
    void a_listed_origin_gets_its_preflights_answered_and_the_tus_headers_exposed() throws Exception {
        api = new ApiUnderTest(ApiUnderTest.settings().withCorsOrigins(List.of(PAGE_ORIGIN)));
        HttpResponse<String> preflight = anonymous("OPTIONS", "/v1/uploads", "Origin", PAGE_ORIGIN,
                "Access-Control-Request-Method", "POST",
                "Access-Control-Request-Headers", "authorization,tus-resumable,upload-length,upload-metadata");
        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(header(preflight, "Access-Control-Allow-Origin")).isEqualTo(PAGE_ORIGIN);
        assertThat(header(preflight, "Access-Control-Allow-Methods")).contains("PATCH").contains("DELETE");
        assertThat(header(preflight, "Access-Control-Allow-Headers")).contains("Authorization").contains("Tus-Resumable")
                .contains("Upload-Length").contains("Upload-Metadata").contains("Upload-Offset");
        assertThat(header(preflight, "Access-Control-Allow-Credentials")).isNull();

        HttpResponse<String> created = api.send(api.authorized("/v1/uploads").header("Origin", PAGE_ORIGIN)
                .header("Tus-Resumable", "1.0.0").header("Upload-Length", "3")
                .header("Upload-Metadata", "filename Y29ycy5jc3Y=").POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(header(created, "Access-Control-Allow-Origin")).isEqualTo(PAGE_ORIGIN);
        assertThat(header(created, "Access-Control-Expose-Headers")).contains("Location").contains("Upload-Offset")
                .contains("Tus-Resumable").contains("ETag");
        assertThat(created.headers().allValues("Vary")).contains("Origin");

        // another origin: no grant on answers, preflights refused
        assertThat(header(api.get("/v1/files", "Origin", "https://evil.example"), "Access-Control-Allow-Origin")).isNull();
        assertThat(anonymous("OPTIONS", "/v1/files", "Origin", "https://evil.example",
                "Access-Control-Request-Method", "DELETE").statusCode()).isEqualTo(403);
        // tus discovery (OPTIONS without Access-Control-Request-Method) is unchanged
        assertThat(header(anonymous("OPTIONS", "/v1/uploads"), "Tus-Version")).isEqualTo("1.0.0");
    }

    @Test
    void origins_must_be_bare_origins_or_a_star() {
        HttpSettings settings = ApiUnderTest.settings();
        assertThat(settings.withCorsOrigins(List.of("*")).corsOrigins()).containsExactly("*");
        assertThat(settings.withCorsOrigins(List.of("http://localhost:3000", "https://[::1]:8443")).corsOrigins())
                .hasSize(2);
        for (String wrong : List.of("https://app.example.com/", "app.example.com", "https://app.example.com/x",
                "ftp://app.example.com", "https://*.example.com")) {
            assertThatThrownBy(() -> settings.withCorsOrigins(List.of(wrong))).as(wrong)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(wrong);
        }
    }
}
