package dev.filestaging.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Events end to end on the runnable jar: webhooks to receivers nobody here wrote the verification of (Node with the
 * Standard Webhooks library; Python reading each committed CSV with pandas through a signed link), through a receiver
 * that fails, throttles and hangs, {@code kill -9} of the app and of the receiver, a file that expires across a
 * restart (the local catalog), and two instances on one PostgreSQL catalog with the delivering one killed. Every
 * receiver ends with every event once after de-duplication by webhook-id, in sequence order, and the feed has no gap.
 * The cases mostly wait (for backoffs, a lease to lapse, an expiry): they run side by side, each on its own ports and
 * directories.
 */
@org.junit.jupiter.api.parallel.Execution(org.junit.jupiter.api.parallel.ExecutionMode.CONCURRENT)
class EventsIT {
    static final String KEY = "events-it-key-0123456789abcdef";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path work;
    private RunningApp app;
    private final List<Process> receivers = new ArrayList<>();

    @BeforeAll
    static void install() throws Exception {
        WebhookReceivers.install();
    }

    private final List<RunningApp> instances = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (Process receiver : receivers) {
            WebhookReceivers.kill(receiver);
        }
        if (app != null) {
            app.close();
        }
        for (RunningApp instance : instances) {
            instance.close();
        }
    }

    private int appPort;

    private RunningApp startApp() throws Exception {
        if (appPort == 0) {
            appPort = RunningApp.freePort();
        }
        return RunningApp.start(work.resolve("data"), Map.of("FILES_BOOTSTRAP_API_KEY", KEY,
                "FILES_HTTP_PORT", Integer.toString(appPort), "FILES_WEBHOOKS_ALLOW_PRIVATE_TARGETS", "true",
                "FILES_WEBHOOKS_TIMEOUT_SECONDS", "2"));
    }

    static HttpResponse<String> call(RunningApp on, String method, String path, HttpRequest.BodyPublisher body,
                                     String contentType) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(on.baseUrl() + path))
                .header("Authorization", "Bearer " + KEY).method(method, body);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        try {
            return JSON.readTree(response.body());
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Registers {@code url} for the default project's events; answers the secret. */
    static JsonNode register(RunningApp on, String path, String body) throws Exception {
        return json(call(on, "POST", path, HttpRequest.BodyPublishers.ofString(body), "application/json"), 201);
    }

    static JsonNode upload(RunningApp on, String name, String csv, String query) throws Exception {
        String boundary = "b0undary";
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name
                + "\"\r\nContent-Type: text/csv\r\n\r\n" + csv + "\r\n--" + boundary + "--\r\n";
        return json(call(on, "POST", "/v1/files" + query, HttpRequest.BodyPublishers.ofString(body),
                "multipart/form-data; boundary=" + boundary), 201);
    }

    static String rows(int count) {
        StringBuilder csv = new StringBuilder("id,value\n");
        for (int i = 0; i < count; i++) {
            csv.append(i).append(',').append(i * 7).append('\n');
        }
        return csv.toString();
    }

    /** Every event of the default project's feed, read page by page from the start. */
    static List<JsonNode> feed(RunningApp on) throws Exception {
        List<JsonNode> events = new ArrayList<>();
        String cursor = null;
        while (true) {
            JsonNode page = json(call(on, "GET", "/v1/events?limit=7" + (cursor == null ? "" : "&after=" + cursor),
                    HttpRequest.BodyPublishers.noBody(), null), 200);
            page.get("events").forEach(events::add);
            if (page.get("events").isEmpty()) {
                return events;
            }
            cursor = page.get("cursor").asText();
        }
    }

    static void assertNoGap(List<JsonNode> events) {
        assertThat(events).extracting(event -> event.get("data").get("sequence").asLong())
                .containsExactlyElementsOf(LongStream.rangeClosed(1, events.size()).boxed().toList());
    }

    @Test
    void node_and_pandas_receivers_get_every_event_once_in_order_through_failures_throttling_and_a_hang()
            throws Exception {
        app = startApp();
        int nodePort = RunningApp.freePort();
        int pandasPort = RunningApp.freePort();
        JsonNode node = register(app, "/v1/webhooks", "{\"url\": \"http://127.0.0.1:" + nodePort + "/in\"}");
        JsonNode pandas = register(app, "/v1/webhooks", "{\"url\": \"http://127.0.0.1:" + pandasPort
                + "/in\", \"types\": [\"file.committed\"], \"pattern\": \"*.csv\"}");
        Path nodeOut = work.resolve("node.out");
        Path pandasOut = work.resolve("pandas.out");
        receivers.add(WebhookReceivers.node(nodePort, node.get("secret").asText(), nodeOut,
                Map.of("FAIL_FIRST", "2", "THROTTLE", "2", "HANG", "1")));
        receivers.add(WebhookReceivers.pandas(pandasPort, pandas.get("secret").asText(), app.baseUrl(), KEY,
                pandasOut));

        for (int i = 1; i <= 6; i++) {
            upload(app, "day-" + i + ".csv", rows(i * 10), "");
        }
        upload(app, "notes.txt.csv.bak", "x\n", "");
        assertThat(call(app, "DELETE", "/v1/files/notes.txt.csv.bak", HttpRequest.BodyPublishers.noBody(), null)
                .statusCode()).isEqualTo(204);
        // 1 + 2 s of backoff after the 500s, 1 + 1 s asked by the 429s, 2 s of timeout, then 16 s give or take
        WebhookReceivers.await(Duration.ofSeconds(90),
                () -> sequencesOrEmpty(nodeOut).size() == 8 && linesOrZero(pandasOut) == 6, "every delivery");

        assertThat(WebhookReceivers.sequences(nodeOut)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
        assertThat(WebhookReceivers.delivered(pandasOut).values()).containsExactly("day-1.csv 10", "day-2.csv 20",
                "day-3.csv 30", "day-4.csv 40", "day-5.csv 50", "day-6.csv 60");
        JsonNode state = json(call(app, "GET", "/v1/webhooks/" + node.get("id").asText(),
                HttpRequest.BodyPublishers.noBody(), null), 200);
        List<Integer> statuses = new ArrayList<>();
        state.get("attempts").forEach(attempt -> statuses.add(attempt.get("status").asInt()));
        assertThat(statuses).contains(500, 429, 0, 204);
        assertNoGap(feed(app));
    }

    @Test
    void kill_minus_9_of_the_app_and_of_the_receiver_loses_no_event_and_an_expiry_survives_a_restart()
            throws Exception {
        app = startApp();
        Instant uploaded = Instant.now();
        upload(app, "short-lived.csv", rows(3), "?expiresAfterSeconds=60");
        int nodePort = RunningApp.freePort();
        JsonNode node = register(app, "/v1/webhooks", "{\"url\": \"http://127.0.0.1:" + nodePort + "/in\"}");
        String secret = node.get("secret").asText();
        Path out = work.resolve("node.out");

        // between commit and delivery: the receiver is down while files arrive, then the app is killed
        for (int i = 0; i < 3; i++) {
            upload(app, "pending-" + i + ".csv", rows(2), "");
        }
        app.kill();
        app = startApp();
        receivers.add(WebhookReceivers.node(nodePort, secret, out, Map.of()));
        WebhookReceivers.await(Duration.ofSeconds(30), () -> sequencesOrEmpty(out).size() == 3, "the pending events");

        // during delivery: the receiver holds a delivery without answering and the app is killed meanwhile
        WebhookReceivers.kill(receivers.remove(0));
        receivers.add(WebhookReceivers.node(nodePort, secret, out, Map.of("HANG", "1")));
        upload(app, "held.csv", rows(2), "");
        Thread.sleep(500);
        app.kill();
        app = startApp();

        // the receiver is killed in the middle of a stream of deliveries, and comes back
        for (int i = 0; i < 20; i++) {
            upload(app, "stream-" + i + ".csv", rows(1), "");
        }
        WebhookReceivers.await(Duration.ofSeconds(30), () -> sequencesOrEmpty(out).size() >= 8, "some of the stream");
        WebhookReceivers.kill(receivers.remove(0));
        receivers.add(WebhookReceivers.node(nodePort, secret, out, Map.of()));
        WebhookReceivers.await(Duration.ofSeconds(60), () -> sequencesOrEmpty(out).size() >= 24, "the whole stream");

        // the file asked to expire after 60 s is gone within two minutes of its upload, across the restarts
        WebhookReceivers.await(Duration.ofSeconds(120).minus(Duration.between(uploaded, Instant.now())), () -> {
            try {
                return call(app, "GET", "/v1/files/short-lived.csv", HttpRequest.BodyPublishers.noBody(), null)
                        .statusCode() == 404;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "the expiry of short-lived.csv");
        WebhookReceivers.await(Duration.ofSeconds(10), () -> sequencesOrEmpty(out).size() == 25, "its event");
        assertThat(WebhookReceivers.sequences(out))
                .containsExactlyElementsOf(LongStream.rangeClosed(2, 26).boxed().toList());
        List<JsonNode> events = feed(app);
        assertNoGap(events);
        assertThat(events).filteredOn(event -> event.get("type").asText().equals("file.expired")).singleElement()
                .satisfies(event -> assertThat(event.get("subject").asText()).isEqualTo("short-lived.csv"));
        assertThat(WebhookReceivers.delivered(out).values()).filteredOn(line -> line.contains("file.expired"))
                .singleElement().asString().endsWith("short-lived.csv");
        JsonNode listing = json(call(app, "GET", "/v1/files", HttpRequest.BodyPublishers.noBody(), null), 200);
        assertThat(listing.get("files")).hasSize(24);
        assertThat(listing.get("space").get("usedBytes").asLong())
                .isEqualTo(3L * rows(2).length() + rows(2).length() + 20L * rows(1).length());
    }

    private static final int WRITERS = 8;
    private static final int ROUNDS = 6;

    /**
     * Two instances on one PostgreSQL catalog: the first holds a delivery the receiver never answers when it is
     * killed; the second takes the delivery over once the first's lease lapses, while eight writers commit and delete
     * through both. The receiver gets every event once, in order; the feed is contiguous and each writer's changes are
     * in its order.
     */
    @Test
    void two_instances_on_postgresql_the_delivering_one_killed_deliver_every_event_once_in_commit_order()
            throws Exception {
        Map<String, String> environment = new java.util.HashMap<>(Map.of("FILES_BOOTSTRAP_API_KEY", KEY,
                "FILES_WEBHOOKS_ALLOW_PRIVATE_TARGETS", "true", "FILES_CATALOG", "postgres",
                "FILES_CATALOG_URL", dev.filestaging.adapter.postgres.PostgresServer.shared().newDatabase(),
                "FILES_CATALOG_USER", dev.filestaging.adapter.postgres.PostgresServer.USER,
                "FILES_WEBHOOKS_TIMEOUT_SECONDS", "60"));
        Path data = work.resolve("data");
        RunningApp first = RunningApp.start(data, environment);
        instances.add(first);
        int port = RunningApp.freePort();
        JsonNode hook = register(first, "/v1/webhooks", "{\"url\": \"http://127.0.0.1:" + port + "/in\"}");
        Path out = work.resolve("node.out");
        receivers.add(WebhookReceivers.node(port, hook.get("secret").asText(), out, Map.of("HANG", "1")));
        upload(first, "first.csv", rows(1), "");
        Path receiverLog = out.resolveSibling(out.getFileName() + ".log");
        WebhookReceivers.await(Duration.ofSeconds(20), () -> {
            try {
                return java.nio.file.Files.readString(receiverLog).contains("holding");
            } catch (java.io.IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "the first instance to be delivering");
        RunningApp second = RunningApp.start(data, environment);
        instances.add(second);

        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(WRITERS);
        List<java.util.concurrent.Future<?>> writers = new ArrayList<>();
        // writers use both instances until the first is about to be killed, then the second alone: a request cut by
        // the kill would leave its outcome unknown, and this case is about the deliveries
        java.util.concurrent.atomic.AtomicBoolean useFirst = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.Phaser onFirst = new java.util.concurrent.Phaser(1);
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            writers.add(pool.submit(() -> {
                for (int round = 0; round < ROUNDS; round++) {
                    onFirst.register();
                    boolean toFirst = (writer + round) % 2 == 0 && useFirst.get();
                    if (!toFirst) {
                        onFirst.arriveAndDeregister();
                    }
                    RunningApp on = toFirst ? first : second;
                    String name = "w" + writer + "-r" + round + ".csv";
                    try {
                        upload(on, name, rows(1), "");
                        assertThat(call(on, "DELETE", "/v1/files/" + name, HttpRequest.BodyPublishers.noBody(), null)
                                .statusCode()).isEqualTo(204);
                    } finally {
                        if (toFirst) {
                            onFirst.arriveAndDeregister();
                        }
                    }
                }
                return null;
            }));
        }
        Thread.sleep(1000);
        useFirst.set(false);
        onFirst.arriveAndAwaitAdvance(); // the requests to the first instance are answered
        first.kill(); // holding the delivery of event 1: its lease has to lapse before the second goes on
        for (java.util.concurrent.Future<?> writer : writers) {
            writer.get();
        }
        pool.shutdown();
        int total = 1 + WRITERS * ROUNDS * 2;
        WebhookReceivers.await(Duration.ofSeconds(90), () -> sequencesOrEmpty(out).size() == total, "every delivery");

        assertThat(WebhookReceivers.sequences(out))
                .containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
        List<JsonNode> events = feed(second);
        assertNoGap(events);
        assertThat(events).hasSize(total);
        for (int w = 0; w < WRITERS; w++) {
            String prefix = "w" + w + "-";
            List<String> own = events.stream().filter(e -> e.get("subject").asText().startsWith(prefix))
                    .map(e -> e.get("subject").asText().substring(prefix.length()) + " " + e.get("type").asText())
                    .toList();
            List<String> expected = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                expected.add("r" + round + ".csv file.committed");
                expected.add("r" + round + ".csv file.deleted");
            }
            assertThat(own).as("writer %d's changes in its order", w).containsExactlyElementsOf(expected);
        }
        assertThat(json(call(second, "GET", "/v1/files", HttpRequest.BodyPublishers.noBody(), null), 200)
                .get("space").get("usedBytes").asLong()).isEqualTo(rows(1).length());
    }

    private static List<Long> sequencesOrEmpty(Path out) {
        try {
            return WebhookReceivers.sequences(out);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static int linesOrZero(Path out) {
        try {
            return WebhookReceivers.delivered(out).size();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
