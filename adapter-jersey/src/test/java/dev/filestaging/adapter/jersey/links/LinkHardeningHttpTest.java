package dev.filestaging.adapter.jersey.links;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.filestaging.adapter.jersey.ApiUnderTest;
import dev.filestaging.adapter.jersey.DocumentedAnswers;
import dev.filestaging.domain.links.FileLinks;
import dev.filestaging.ports.fixtures.InMemorySmallRecordStore;
import dev.filestaging.ports.fixtures.MutableClock;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Signed links read as a hostile client would: one link must have one URL (its name, its canonical encoding), its
 * request body is read strictly, a maximum lifetime under an hour still gives a default link, and the link route
 * answers conditions as the document says.
 */
class LinkHardeningHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    private final MutableClock clock = new MutableClock(Instant.now());
    private ApiUnderTest api;

    /** Links live at most ten minutes here, less than the hour a link gets by default. */
    @BeforeEach
    void start() throws Exception {
        api = new ApiUnderTest(ApiUnderTest.settings(),
                store -> new FileLinks(store, new InMemorySmallRecordStore(), clock, Duration.ofMinutes(10)));
        api.upload("/v1/files", "report.csv", "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8));
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private HttpResponse<String> share(String body) throws Exception {
        return api.send(api.authorized("/v1/files/report.csv/links").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private String link() throws Exception {
        HttpResponse<String> made = share("{\"expiresInSeconds\": 60}");
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        return JSON.readTree(made.body()).get("url").asText();
    }

    private HttpResponse<String> read(String url, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return api.send(request);
    }

    @Test
    void a_link_under_another_name_is_404() throws Exception {
        String url = link();
        String base = url.substring(0, url.lastIndexOf('/') + 1);

        assertThat(read(url).statusCode()).isEqualTo(200);
        for (String name : List.of("evil.csv", "report.CSV", "report.csv%20", "report.csv.exe", "%2E%2E")) {
            HttpResponse<String> refused = read(base + name);
            assertThat(refused.statusCode()).as(name).isEqualTo(404);
            assertThat(refused.body()).as(name).doesNotContain("1,2");
        }
    }

    @Test
    void only_the_canonical_encoding_of_a_link_is_valid() throws Exception {
        String url = link();
        int slash = url.lastIndexOf('/');
        String token = url.substring(url.lastIndexOf('/', slash - 1) + 1, slash);
        String prefix = url.substring(0, slash - token.length());
        String suffix = url.substring(slash);
        String[] parts = token.split("\\.");
        // the signature is 32 bytes: 43 characters, the last one with two bits no byte uses
        char last = parts[2].charAt(parts[2].length() - 1);
        char sameBytes = ALPHABET.charAt(ALPHABET.indexOf(last) ^ 1);
        List<String> variants = List.of(
                parts[0] + "." + parts[1] + "." + parts[2].substring(0, parts[2].length() - 1) + sameBytes,
                parts[0] + "." + parts[1] + "." + parts[2] + "=",
                parts[0] + "." + parts[1] + (parts[1].length() % 4 == 2 ? "==" : "=") + "." + parts[2]);

        assertThat(read(url).statusCode()).isEqualTo(200);
        for (String variant : variants) {
            HttpResponse<String> refused = read(prefix + variant + suffix);
            assertThat(refused.statusCode()).as(variant).isEqualTo(403);
            assertThat(JSON.readTree(refused.body()).get("code").asText()).isEqualTo("invalid_link");
        }
    }

    @Test
    void a_link_request_body_is_one_json_object_with_only_its_field() throws Exception {
        for (String body : List.of("[]", "null", "3600", "\"3600\"", "{\"expiresInSeconds\": 60, \"lifetime\": 1}",
                "{\"expiresInSeconds\": 60} trailing", "{\"expiresInSeconds\": 60}{}",
                "{\"expiresInSeconds\": 60, \"expiresInSeconds\": 86400000}", "{\"expiresInSeconds\": 60.5}",
                "{\"expiresInSeconds\": null}")) {
            HttpResponse<String> refused = share(body);
            assertThat(refused.statusCode()).as(body).isEqualTo(400);
            assertThat(JSON.readTree(refused.body()).get("code").asText()).as(body).isEqualTo("invalid_lifetime");
        }
        assertThat(share("{\"expiresInSeconds\": 60}").statusCode()).isEqualTo(201);
        assertThat(share(" {} ").statusCode()).as("an empty object asks for the default").isEqualTo(201);
    }

    @Test
    void hostile_link_bodies_are_refused_in_bounded_time() {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            long started = System.nanoTime();
            for (String body : List.of("[".repeat(4000), "{\"a\":".repeat(800), "{\"" + "x".repeat(4000) + "\":1}",
                    "{\"expiresInSeconds\": 1" + "0".repeat(3000) + "}", " ".repeat(5000) + "{}")) {
                HttpResponse<String> refused = share(body);
                assertThat(refused.statusCode()).as(body.substring(0, 20)).isEqualTo(400);
                assertThat(refused.body()).hasSizeLessThan(1024);
            }
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        });
    }

    @Test
    void a_maximum_lifetime_under_an_hour_is_the_default_and_the_caller_is_told_it() throws Exception {
        HttpResponse<String> defaulted = api.send(api.authorized("/v1/files/report.csv/links")
                .POST(HttpRequest.BodyPublishers.noBody()));

        assertThat(defaulted.statusCode()).as(defaulted.body()).isEqualTo(201);
        assertThat(Instant.parse(JSON.readTree(defaulted.body()).get("expiresAt").asText()))
                .isEqualTo(clock.instant().plus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.SECONDS));
        JsonNode me = JSON.readTree(api.get("/v1/me").body());
        assertThat(me.get("linkMaxLifetimeSeconds").asLong()).isEqualTo(600);
        assertThat(share("{\"expiresInSeconds\": 601}").statusCode()).isEqualTo(400);
    }

    @Test
    void the_link_route_answers_conditions_as_documented() throws Exception {
        DocumentedAnswers answers = new DocumentedAnswers(api.send(HttpRequest.newBuilder(api.uri("/openapi.json"))).body());
        String url = link();
        HttpResponse<String> whole = read(url);
        String etag = ApiUnderTest.header(whole, "ETag");

        HttpResponse<String> unchanged = read(url, "If-None-Match", etag);
        HttpResponse<String> failed = read(url, "If-Match", "\"another-version\"");

        assertThat(unchanged.statusCode()).isEqualTo(304);
        assertThat(ApiUnderTest.header(unchanged, "Cache-Control")).isEqualTo(ApiUnderTest.header(whole, "Cache-Control"));
        assertThat(failed.statusCode()).isEqualTo(412);
        answers.check("GET", "/v1/links/{token}/{name}", whole);
        answers.check("GET", "/v1/links/{token}/{name}", unchanged);
        answers.check("GET", "/v1/links/{token}/{name}", failed);
        answers.check("GET", "/v1/links/{token}/{name}", read(url.substring(0, url.lastIndexOf('/')) + "/evil.csv"));
        answers.check("GET", "/v1/me", api.get("/v1/me"));
        assertThat(answers.mismatches()).isEmpty();
    }
}
