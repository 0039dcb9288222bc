package dev.filestaging.adapter.jersey.multipart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.filestaging.adapter.jersey.FilesHttpServer;
import dev.filestaging.adapter.jersey.http.FilesApi;
import dev.filestaging.adapter.jersey.http.HttpSettings;
import dev.filestaging.adapter.jersey.problems.ApiProblem;
import dev.filestaging.domain.StagingService;
import dev.filestaging.domain.credentials.ApiKeys;
import dev.filestaging.domain.fixtures.InMemoryStorage;
import dev.filestaging.domain.quota.Quotas;
import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.Role;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.fixtures.InMemoryApiKeyRepository;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Fuzzing the multipart parser: valid bodies broken by random mutations (flipped and inserted bytes, pieces of
 * boundaries and headers, cuts, repeats). Whatever arrives, the reader either yields the file or fails with a problem
 * for the client (4xx), never another exception and never a hang; over HTTP, never a 5xx, and nothing is left pending.
 */
class MultipartFuzzTest {
    private static final Duration HANG = Duration.ofSeconds(5);
    private static final String[] FRAGMENTS = {
            "\r\n", "--", "\r\n--", "Content-Disposition: form-data; name=\"file\"; filename=\"x.csv\"\r\n\r\n",
            "Content-Type: text/csv\r\n", "filename*=UTF-8''%E2%82%AC", "\"", ";", "=", "\r\n\r\n", "\0", "%",
            "Content-MD5: AAAAAAAAAAAAAAAAAAAAAA==\r\n", "name=\"file\"", "\\"};

    private static InMemoryStorage store;
    private static FilesHttpServer server;
    private static String key;
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @BeforeContainer
    static void start() throws IOException {
        store = new InMemoryStorage();
        ApiKeys apiKeys = new ApiKeys(new InMemoryApiKeyRepository(), Clock.systemUTC());
        key = apiKeys.issue(new OrganizationId("default"), Set.of(Role.MANAGE_FILES)).secret();
        StagingService service = StagingService.withDefaults(store, Quotas.uniform(Quotas.POLARIS_DEFAULT_BYTES));
        server = FilesHttpServer.start(new HttpSettings("127.0.0.1", 0, 1024 * 1024, 8),
                new FilesApi(service, service, service, service, service, List.of(apiKeys),
                        service.resumableUploads(java.time.Duration.ofDays(1), HttpSettings.DEFAULT_MAX_UPLOAD_BYTES)));
    }

    @AfterContainer
    static void stop() {
        server.close();
    }

    @Property(tries = 2000)
    void the_reader_yields_the_file_or_a_client_problem_and_never_hangs(@ForAll long seed) {
        byte[] body = mutated(seed);
        String outcome = assertTimeoutPreemptively(HANG, () -> {
            try {
                MultipartFileReader.FilePart file = new MultipartFileReader().firstFile(
                        "multipart/form-data; boundary=" + boundary(seed), new ByteArrayInputStream(body));
                file.content().readAllBytes();
                file.checkRest();
                return "file read";
            } catch (ApiProblem problem) {
                assertThat(problem.problem().status()).isBetween(400, 499);
                return problem.problem().code();
            } catch (MultipartCursor.Malformed malformed) {
                assertThat(malformed.getMessage()).isNotBlank();
                return "malformed";
            }
        });
        Statistics.collect(outcome);
    }

    @Property(tries = 300)
    void over_http_a_mutated_upload_never_gets_a_5xx_and_leaves_nothing_pending(@ForAll long seed) throws Exception {
        byte[] body = mutated(seed);
        HttpResponse<String> response = assertTimeoutPreemptively(HANG, () -> CLIENT.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/files"))
                        .header("Authorization", "Bearer " + key)
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary(seed))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString()));

        assertThat(response.statusCode()).as(response.body()).isIn(201, 400, 409, 413);
        Statistics.collect(response.statusCode());
        assertThat(store.openPendingFiles()).isZero();
        if (response.statusCode() == 201) {
            String name = new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body()).get("name").asText();
            store.delete(new dev.filestaging.ports.FileKey(StagingArea.defaultProjectOf(new OrganizationId("default")),
                    name));
        }
    }

    private static String boundary(long seed) {
        return "fuzz" + Long.toHexString(seed & 0xffff);
    }

    /** A valid upload of random content, then one to six random mutations. */
    static byte[] mutated(long seed) {
        Random random = new Random(seed);
        String boundary = boundary(seed);
        byte[] content = new byte[random.nextInt(4000)];
        random.nextBytes(content);
        ByteArrayOutputStream valid = new ByteArrayOutputStream();
        if (random.nextBoolean()) {
            valid.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhi\r\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        valid.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f"
                + random.nextInt(1000) + ".csv\"\r\nContent-Type: text/csv\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        valid.writeBytes(content);
        valid.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        byte[] body = valid.toByteArray();
        int mutations = 1 + random.nextInt(6);
        for (int i = 0; i < mutations; i++) {
            body = mutate(body, random, boundary);
        }
        return body;
    }

    private static byte[] mutate(byte[] body, Random random, String boundary) {
        int at = body.length == 0 ? 0 : random.nextInt(body.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        switch (random.nextInt(6)) {
            case 0 -> { // flip a byte
                byte[] copy = body.clone();
                if (copy.length > 0) {
                    copy[at] = (byte) random.nextInt(256);
                }
                return copy;
            }
            case 1 -> { // insert a fragment of the syntax, or of the boundary
                String fragment = random.nextBoolean() ? FRAGMENTS[random.nextInt(FRAGMENTS.length)]
                        : "\r\n--" + boundary.substring(0, random.nextInt(boundary.length() + 1));
                out.write(body, 0, at);
                out.writeBytes(fragment.getBytes(StandardCharsets.UTF_8));
                out.write(body, at, body.length - at);
            }
            case 2 -> { // cut a range out
                int length = Math.min(body.length - at, random.nextInt(200));
                out.write(body, 0, at);
                out.write(body, at + length, body.length - at - length);
            }
            case 3 -> out.write(body, 0, at); // truncate
            case 4 -> { // repeat a range
                int length = Math.min(body.length - at, random.nextInt(300));
                out.write(body, 0, at + length);
                out.write(body, at, body.length - at);
            }
            default -> { // a long header line
                out.write(body, 0, at);
                out.writeBytes(("X-Long: " + "h".repeat(random.nextInt(10_000)) + "\r\n").getBytes(StandardCharsets.UTF_8));
                out.write(body, at, body.length - at);
            }
        }
        return out.toByteArray();
    }
}
