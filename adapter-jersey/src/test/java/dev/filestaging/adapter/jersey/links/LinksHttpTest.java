package dev.filestaging.adapter.jersey.links;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.filestaging.adapter.jersey.ApiUnderTest;
import dev.filestaging.domain.links.FileLinks;
import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.fixtures.InMemorySmallRecordStore;
import dev.filestaging.ports.fixtures.MutableClock;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Signed links over HTTP: made with credentials, read without, refused when altered, expired or gone. */
class LinksHttpTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final OrganizationId ORG = new OrganizationId("default");

    private final MutableClock clock = new MutableClock(Instant.now());
    private ApiUnderTest api;

    @BeforeEach
    void start() throws Exception {
        api = new ApiUnderTest(ApiUnderTest.settings(),
                store -> new FileLinks(store, new InMemorySmallRecordStore(), clock, Duration.ofDays(1)));
        upload("report.csv", "a,b\n1,2\n");
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return api.send(request);
    }

    private void upload(String name, String content) throws Exception {
        api.upload("/v1/files", name, content.getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> share(String name, String body) throws Exception {
        return send(api.authorized("/v1/files/" + name + "/links").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private String link(String name) throws Exception {
        HttpResponse<String> response = share(name, "{\"expiresInSeconds\": 600}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return JSON.readTree(response.body()).get("url").asText();
    }

    private HttpResponse<String> read(String url, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request);
    }

    @Test
    void a_link_reads_the_file_without_credentials_with_ranges_until_it_expires() throws Exception {
        HttpResponse<String> made = share("report.csv", "{\"expiresInSeconds\": 600}");
        JsonNode answer = JSON.readTree(made.body());
        String url = answer.get("url").asText();

        assertThat(made.headers().firstValue("Location")).contains(url);
        assertThat(url).startsWith(api.uri("/v1/links/").toString()).endsWith("/report.csv");
        assertThat(answer.get("file").get("name").asText()).isEqualTo("report.csv");
        assertThat(Instant.parse(answer.get("expiresAt").asText())).isAfter(clock.instant());
        HttpResponse<String> whole = read(url);
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.body()).isEqualTo("a,b\n1,2\n");
        HttpResponse<String> ranged = read(url, "Range", "bytes=-4");
        assertThat(ranged.statusCode()).isEqualTo(206);
        assertThat(ranged.body()).isEqualTo("1,2\n");

        clock.advance(Duration.ofSeconds(601));
        HttpResponse<String> expired = read(url);
        assertThat(expired.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(expired.body()).get("code").asText()).isEqualTo("link_expired");
    }

    @Test
    void an_altered_link_is_403_and_a_link_to_a_replaced_or_deleted_file_410() throws Exception {
        String url = link("report.csv");
        int tokenEnd = url.lastIndexOf('/');
        String altered = url.substring(0, tokenEnd - 3) + (url.charAt(tokenEnd - 3) == 'A' ? 'B' : 'A')
                + url.substring(tokenEnd - 2);
        HttpResponse<String> refused = read(altered);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(refused.body()).get("code").asText()).isEqualTo("invalid_link");
        assertThat(read(api.uri("/v1/links/nonsense/report.csv").toString()).statusCode())
                .isEqualTo(403);

        send(api.authorized("/v1/files/report.csv").DELETE());
        HttpResponse<String> gone = read(url);
        assertThat(gone.statusCode()).isEqualTo(410);
        assertThat(JSON.readTree(gone.body()).get("code").asText()).isEqualTo("link_gone");
        upload("report.csv", "replaced\n");
        assertThat(read(url).statusCode()).as("the link was for the old version").isEqualTo(410);
        assertThat(read(link("report.csv")).body()).isEqualTo("replaced\n");
    }

    @Test
    void bad_lifetimes_are_400_missing_files_404_and_an_empty_body_gets_an_hour() throws Exception {
        for (String body : List.of("{\"expiresInSeconds\": 86401}", "{\"expiresInSeconds\": 0}",
                "{\"expiresInSeconds\": \"soon\"}", "not json")) {
            HttpResponse<String> response = share("report.csv", body);
            assertThat(response.statusCode()).as(body).isEqualTo(400);
            assertThat(JSON.readTree(response.body()).get("code").asText()).isEqualTo("invalid_lifetime");
        }
        assertThat(share("nothing.csv", "").statusCode()).isEqualTo(404);
        HttpResponse<String> defaulted = share("report.csv", "");
        assertThat(Instant.parse(JSON.readTree(defaulted.body()).get("expiresAt").asText()))
                .isEqualTo(clock.instant().plus(Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        assertThat(send(HttpRequest.newBuilder(api.uri("/v1/files/report.csv/links"))
                .POST(HttpRequest.BodyPublishers.noBody())).statusCode()).as("making a link needs credentials")
                .isEqualTo(401);
    }
}
