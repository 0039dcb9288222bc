package dev.filestaging.adapter.jersey.feed;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.filestaging.adapter.jersey.ApiUnderTest;
import dev.filestaging.adapter.jersey.MultipartBody;
import dev.filestaging.adapter.jersey.events.StandardWebhookSignature;
import dev.filestaging.ports.Role;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The change feed, webhooks and file expiry over HTTP, on the real domain with an in-memory catalog. */
class EventsHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ApiUnderTest api = new ApiUnderTest(ApiUnderTest.settings());
    private HttpServer receiver;

    EventsHttpTest() throws Exception {
    }

    @AfterEach
    void close() {
        api.close();
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    private JsonNode json(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return api.send(api.authorized(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    @Test
    void the_feed_gives_cloud_events_in_commit_order_from_a_cursor_per_project() throws Exception {
        api.upload("/v1/files", "a.csv", "x,y\n1,2\n".getBytes(StandardCharsets.UTF_8));
        api.upload("/v1/projects/p2/files", "other.csv", "x\n".getBytes(StandardCharsets.UTF_8));
        api.upload("/v1/files", "b.csv", "x\n".getBytes(StandardCharsets.UTF_8));
        assertThat(api.send(api.authorized("/v1/files/a.csv").DELETE()).statusCode()).isEqualTo(204);

        JsonNode all = json(api.get("/v1/events"), 200);
        JsonNode first = json(api.get("/v1/events?limit=2"), 200);
        JsonNode rest = json(api.get("/v1/events?after=" + first.get("cursor").asText()), 200);
        JsonNode project = json(api.get("/v1/projects/p2/events"), 200);

        assertThat(all.get("events")).hasSize(3);
        JsonNode event = all.get("events").get(0);
        assertThat(event.get("specversion").asText()).isEqualTo("1.0");
        assertThat(event.get("type").asText()).isEqualTo("file.committed");
        assertThat(event.get("subject").asText()).isEqualTo("a.csv");
        assertThat(event.get("source").asText()).isEqualTo("/organizations/default/projects/default");
        assertThat(event.get("data").get("uploadedVia").asText()).isEqualTo("multipart");
        assertThat(event.get("data").get("md5").asText()).hasSize(32);
        assertThat(all.get("events").get(2).get("type").asText()).isEqualTo("file.deleted");
        assertThat(first.get("events").get(1).get("id")).isEqualTo(all.get("events").get(1).get("id"));
        assertThat(rest.get("events")).hasSize(1);
        assertThat(rest.get("events").get(0).get("type").asText()).isEqualTo("file.deleted");
        assertThat(project.get("events")).hasSize(1);
        assertThat(project.get("events").get(0).get("subject").asText()).isEqualTo("other.csv");
        JsonNode none = json(api.get("/v1/events?after=" + rest.get("cursor").asText()), 200);
        assertThat(none.get("events")).isEmpty();
        assertThat(none.get("cursor")).isEqualTo(rest.get("cursor"));
    }

    @Test
    void bad_cursors_and_parameters_are_400_and_another_projects_cursor_too() throws Exception {
        String cursor = json(api.get("/v1/events"), 200).get("cursor").asText();
        assertThat(json(api.get("/v1/projects/p2/events?after=" + cursor), 400).get("code").asText())
                .isEqualTo("invalid_cursor");
        assertThat(json(api.get("/v1/events?after=nonsense"), 400).get("code").asText()).isEqualTo("invalid_cursor");
        for (String query : List.of("limit=0", "limit=1001", "limit=abc", "wait=31", "wait=-1", "limit=99999999999")) {
            assertThat(json(api.get("/v1/events?" + query), 400).get("code").asText()).as(query)
                    .isEqualTo("invalid_query");
        }
    }

    @Test
    void a_waiting_read_answers_when_a_file_arrives_and_read_only_keys_may_read() throws Exception {
        api.key = api.apiKeys.issue(ApiUnderTest.ORG, Set.of(Role.READ_FILES)).secret();
        String cursor = json(api.get("/v1/events"), 200).get("cursor").asText();
        java.util.concurrent.CompletableFuture<HttpResponse<String>> waiting = api.client.sendAsync(
                api.authorized("/v1/events?wait=10&after=" + cursor).build(), HttpResponse.BodyHandlers.ofString());
        Thread.sleep(300);
        assertThat(waiting).isNotDone();
        api.store.catalog(); // the upload below is the manager's
        api.key = api.apiKeys.issue(ApiUnderTest.ORG, Set.of(Role.MANAGE_FILES)).secret();
        long started = System.nanoTime();
        api.upload("/v1/files", "late.csv", "x\n".getBytes(StandardCharsets.UTF_8));

        JsonNode page = json(waiting.get(), 200);
        assertThat(page.get("events")).hasSize(1);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void expires_after_seconds_is_taken_from_the_query_a_form_field_or_tus_metadata_and_bounded() throws Exception {
        HttpResponse<String> query = api.send(api.authorized("/v1/files?expiresAfterSeconds=3600")
                .header("Content-Type", MultipartBody.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(MultipartBody.singleFile("q.csv", "x\n".getBytes()))));
        assertThat(json(query, 201).get("expiresAt").asText()).isNotEmpty();
        String boundary = "b0undary";
        String form = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"expiresAfterSeconds\"\r\n\r\n120\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f.csv\"\r\n"
                + "Content-Type: text/csv\r\n\r\nx\n\r\n--" + boundary + "--\r\n";
        HttpResponse<String> field = api.send(api.authorized("/v1/files")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(form)));
        JsonNode fieldFile = json(field, 201);
        assertThat(java.time.Instant.parse(fieldFile.get("expiresAt").asText()))
                .isEqualTo(java.time.Instant.parse(fieldFile.get("uploadedOnDatetime").asText()).plusSeconds(120));
        assertThat(json(api.get("/v1/files/f.csv"), 200).get("expiresAt")).isEqualTo(fieldFile.get("expiresAt"));
        assertThat(json(api.get("/v1/files"), 200).get("files").findValuesAsText("expiresAt")).hasSize(2);

        for (String bad : List.of("59", "604801", "abc", "-5", "1e3", "99999999999999999999")) {
            HttpResponse<String> refused = api.send(api.authorized("/v1/files?expiresAfterSeconds=" + bad)
                    .header("Content-Type", MultipartBody.contentType())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(MultipartBody.singleFile("bad.csv", "x".getBytes()))));
            assertThat(json(refused, 400).get("code").asText()).as(bad).isEqualTo("invalid_expiry");
        }
        assertThat(json(api.get("/v1/files/bad.csv"), 404).get("code").asText()).isEqualTo("file_not_found");

        String metadata = "filename " + b64("t.csv") + ",expiresAfterSeconds " + b64("600");
        HttpResponse<String> created = api.send(api.authorized("/v1/uploads").header("Tus-Resumable", "1.0.0")
                .header("Upload-Length", "2").header("Upload-Metadata", metadata)
                .header("Content-Type", "application/offset+octet-stream")
                .POST(HttpRequest.BodyPublishers.ofString("x\n")));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode tus = json(api.get("/v1/files/t.csv"), 200);
        assertThat(java.time.Instant.parse(tus.get("expiresAt").asText()))
                .isEqualTo(java.time.Instant.parse(tus.get("uploadedOnDatetime").asText()).plusSeconds(600));
        HttpResponse<String> badTus = api.send(api.authorized("/v1/uploads").header("Tus-Resumable", "1.0.0")
                .header("Upload-Length", "2").header("Upload-Metadata", "filename " + b64("u.csv")
                        + ",expiresAfterSeconds " + b64("5"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(json(badTus, 400).get("code").asText()).isEqualTo("invalid_expiry");
    }

    private static String b64(String text) {
        return java.util.Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A receiver on this machine that keeps each request's headers and body. */
    private List<String[]> receive() throws Exception {
        List<String[]> received = new CopyOnWriteArrayList<>();
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/in", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(new String[] {exchange.getRequestHeaders().getFirst("webhook-id"),
                    exchange.getRequestHeaders().getFirst("webhook-timestamp"),
                    exchange.getRequestHeaders().getFirst("webhook-signature"), new String(body, StandardCharsets.UTF_8)});
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        return received;
    }

    @Test
    void a_registered_webhook_receives_signed_events_can_be_read_replayed_and_removed() throws Exception {
        List<String[]> received = receive();
        String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/in";
        JsonNode registered = json(post("/v1/webhooks", "{\"url\": \"" + url + "\", \"types\": [\"file.committed\"]}"),
                201);
        String id = registered.get("id").asText();
        String secret = registered.get("secret").asText();
        assertThat(secret).startsWith("whsec_");

        api.upload("/v1/files", "a.csv", "x\n".getBytes(StandardCharsets.UTF_8));
        api.send(api.authorized("/v1/files/a.csv").DELETE());
        api.dispatcher.tick();

        assertThat(received).hasSize(1);
        String[] delivery = received.get(0);
        assertThat(delivery[2]).isEqualTo(StandardWebhookSignature.sign(secret, delivery[0],
                Long.parseLong(delivery[1]), delivery[3].getBytes(StandardCharsets.UTF_8)));
        assertThat(JSON.readTree(delivery[3]).get("id").asText()).isEqualTo(delivery[0]);
        JsonNode listed = json(api.get("/v1/webhooks"), 200).get("webhooks");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).has("secret")).isFalse();
        JsonNode state = json(api.get("/v1/webhooks/" + id), 200);
        assertThat(state.get("progress").get(0).get("deliveredSequence").asLong()).isEqualTo(2);
        assertThat(state.get("attempts").get(0).get("outcome").asText()).isEqualTo("delivered");

        JsonNode replay = json(post("/v1/webhooks/" + id + "/replay", "{}"), 202);
        assertThat(replay.get("deliveredSequence").asLong()).isZero();
        api.dispatcher.tick();
        assertThat(received).hasSize(2);
        assertThat(received.get(1)[0]).isEqualTo(delivery[0]);

        // a rotation: the next delivery is signed with the new secret and the previous one, then the new one alone
        String rotated = json(post("/v1/webhooks/" + id + "/secrets", ""), 201).get("secret").asText();
        assertThat(rotated).startsWith("whsec_").isNotEqualTo(secret);
        assertThat(json(api.get("/v1/webhooks/" + id), 200).get("signingSecrets").asInt()).isEqualTo(2);
        api.upload("/v1/files", "c.csv", "x\n".getBytes(StandardCharsets.UTF_8));
        api.dispatcher.tick();
        String[] both = received.get(received.size() - 1);
        assertThat(both[2]).isEqualTo(StandardWebhookSignature.header(List.of(rotated, secret), both[0],
                Long.parseLong(both[1]), both[3].getBytes(StandardCharsets.UTF_8)));
        assertThat(api.send(api.authorized("/v1/webhooks/" + id + "/secrets/previous").DELETE()).statusCode())
                .isEqualTo(204);
        api.upload("/v1/files", "d.csv", "x\n".getBytes(StandardCharsets.UTF_8));
        api.dispatcher.tick();
        String[] one = received.get(received.size() - 1);
        assertThat(one[2]).isEqualTo(StandardWebhookSignature.sign(rotated, one[0], Long.parseLong(one[1]),
                one[3].getBytes(StandardCharsets.UTF_8)));

        assertThat(api.send(api.authorized("/v1/webhooks/" + id).DELETE()).statusCode()).isEqualTo(204);
        assertThat(json(api.get("/v1/webhooks/" + id), 404).get("code").asText()).isEqualTo("webhook_not_found");
        assertThat(json(post("/v1/webhooks/" + id + "/secrets", ""), 404).get("code").asText())
                .isEqualTo("webhook_not_found");
    }

    @Test
    void registrations_that_cannot_work_are_400_and_read_only_keys_may_not_register() throws Exception {
        for (String body : List.of("", "[]", "{\"url\": 5}", "{\"url\": \"ftp://x/\"}", "{\"url\": \"https://x/\", \"other\": 1}",
                "{\"url\": \"https://x/\", \"types\": [\"file.created\"]}", "{\"url\": \"https://x/\"} trailing",
                "{\"url\": \"https://x/\", \"url\": \"https://y/\"}", "{\"url\": \"https://x/\", \"types\": \"file.committed\"}",
                "{\"url\": \"https://x/\", \"pattern\": \"" + "*".repeat(2000) + "\"}", "x".repeat(10_000))) {
            assertThat(json(post("/v1/webhooks", body), 400).get("code").asText()).as(body.length() > 60
                    ? body.substring(0, 60) : body).isEqualTo("invalid_webhook");
        }
        api.key = api.apiKeys.issue(ApiUnderTest.ORG, Set.of(Role.READ_FILES)).secret();
        assertThat(json(post("/v1/webhooks", "{\"url\": \"https://hooks.example/\"}"), 403).get("code").asText())
                .isEqualTo("forbidden");
        assertThat(json(api.get("/v1/webhooks/wh_nonexistent0000000000"), 403).get("code").asText())
                .isEqualTo("forbidden");
    }

    @Test
    void the_hostile_testers_registrations_and_replays_are_refused_without_a_5xx() throws Exception {
        for (String body : List.of("{\"url\": \"https://x/\", \"types\": [null]}",
                "{\"url\": \"https://x/\", \"types\": [5]}", "{\"url\": \"https://x/\", \"pattern\": \"a\\u0000b\"}",
                "{\"url\": \"https://x/\", \"pattern\": \"\"}", "{\"url\": \"http://127.0.0.1:0/x\"}",
                "{\"url\": \"http://127.0.0.1:99999/x\"}")) {
            assertThat(json(post("/v1/webhooks", body), 400).get("code").asText()).as(body).isEqualTo("invalid_webhook");
        }
        api.upload("/v1/files", "a.csv", "x\n".getBytes(StandardCharsets.UTF_8));
        String id = json(post("/v1/projects/p1/webhooks", "{\"url\": \"https://hooks.example/\"}"), 201).get("id").asText();
        String ahead = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                dev.filestaging.ports.events.FeedCursor.of(new dev.filestaging.ports.StagingArea(ApiUnderTest.ORG,
                        new dev.filestaging.ports.ProjectId("p1")), 100).getBytes(StandardCharsets.US_ASCII));
        assertThat(json(post("/v1/webhooks/" + id + "/replay", "{\"project\": \"p1\", \"after\": \""
                + dev.filestaging.ports.events.FeedCursor.of(new dev.filestaging.ports.StagingArea(ApiUnderTest.ORG,
                        new dev.filestaging.ports.ProjectId("p1")), 100) + "\"}"), 400).get("code").asText())
                .isEqualTo("invalid_cursor");
        assertThat(ahead).isNotEmpty();
        // a project's endpoint is not another project's
        assertThat(json(api.get("/v1/projects/p2/webhooks/" + id), 404).get("code").asText())
                .isEqualTo("webhook_not_found");
        assertThat(api.send(api.authorized("/v1/projects/p2/webhooks/" + id).DELETE()).statusCode()).isEqualTo(404);
        assertThat(json(api.get("/v1/projects/p1/webhooks/" + id), 200).get("id").asText()).isEqualTo(id);
    }

    @Test
    void an_expiry_after_the_file_part_or_empty_is_refused_and_stores_nothing() throws Exception {
        String boundary = "b0undary";
        String after = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"late.csv\"\r\n"
                + "\r\nx\n\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"expiresAfterSeconds\"\r\n\r\n"
                + "120\r\n--" + boundary + "--\r\n";
        HttpResponse<String> refused = api.send(api.authorized("/v1/files")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(after)));
        assertThat(json(refused, 400).get("code").asText()).isEqualTo("invalid_expiry");
        assertThat(json(api.get("/v1/files/late.csv"), 404).get("code").asText()).isEqualTo("file_not_found");
        HttpResponse<String> empty = api.send(api.authorized("/v1/files?expiresAfterSeconds=")
                .header("Content-Type", MultipartBody.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(MultipartBody.singleFile("e.csv", "x".getBytes()))));
        assertThat(json(empty, 400).get("code").asText()).isEqualTo("invalid_expiry");
        assertThat(json(api.get("/v1/files"), 200).get("files")).isEmpty();
        assertThat(json(api.get("/v1/events"), 200).get("events")).isEmpty();
    }

    @Test
    void an_organization_may_register_a_bounded_number_of_webhooks() throws Exception {
        for (int i = 0; i < dev.filestaging.ports.in.ManageWebhooks.MAX_PER_ORGANIZATION; i++) {
            json(post("/v1/projects/p" + i + "/webhooks", "{\"url\": \"https://hooks.example/" + i + "\"}"), 201);
        }
        assertThat(json(post("/v1/webhooks", "{\"url\": \"https://hooks.example/x\"}"), 409).get("code").asText())
                .isEqualTo("too_many_webhooks");
        assertThat(json(api.get("/v1/projects/p3/webhooks"), 200).get("webhooks")).hasSize(1);
        assertThat(json(api.get("/v1/webhooks"), 200).get("webhooks"))
                .hasSize(dev.filestaging.ports.in.ManageWebhooks.MAX_PER_ORGANIZATION);
    }
}
