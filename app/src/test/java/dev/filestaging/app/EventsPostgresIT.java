package dev.filestaging.app;

import static dev.filestaging.app.EventsIT.KEY;
import static dev.filestaging.app.EventsIT.call;
import static dev.filestaging.app.EventsIT.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.filestaging.adapter.postgres.PostgresServer;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Events with several instances: two jars sharing a PostgreSQL catalog (and the blob directory). Eight writers commit
 * and delete names of one area through both, one instance is killed with {@code kill -9} meanwhile, and a Node
 * receiver (Standard Webhooks library) gets every event once, in sequence order, from whichever instance holds the
 * delivery; the feed's numbers are contiguous and each writer's changes are in its own order.
 */
class EventsPostgresIT {
    private static final int WRITERS = 8;
    private static final int ROUNDS = 6;

    @TempDir
    Path work;
    private final List<RunningApp> apps = new ArrayList<>();
    private Process receiver;

    @BeforeAll
    static void install() throws Exception {
        WebhookReceivers.install();
    }

    @AfterEach
    void stop() throws Exception {
        if (receiver != null) {
            WebhookReceivers.kill(receiver);
        }
        for (RunningApp app : apps) {
            app.close();
        }
    }

    @Test
    void two_instances_one_killed_deliver_every_event_once_in_commit_order() throws Exception {
        Map<String, String> environment = new HashMap<>(Map.of("FILES_BOOTSTRAP_API_KEY", KEY,
                "FILES_WEBHOOKS_ALLOW_PRIVATE_TARGETS", "true", "FILES_CATALOG", "postgres",
                "FILES_CATALOG_URL", PostgresServer.shared().newDatabase(), "FILES_CATALOG_USER", PostgresServer.USER));
        Path data = work.resolve("data");
        RunningApp first = RunningApp.start(data, environment);
        apps.add(first);
        RunningApp second = RunningApp.start(data, environment);
        apps.add(second);
        int port = RunningApp.freePort();
        JsonNode hook = EventsIT.register(first, "/v1/webhooks", "{\"url\": \"http://127.0.0.1:" + port + "/in\"}");
        Path out = work.resolve("node.out");
        receiver = WebhookReceivers.node(port, hook.get("secret").asText(), out, Map.of());

        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            writers.add(pool.submit(() -> {
                for (int round = 0; round < ROUNDS; round++) {
                    // the first instance is killed halfway through: from then on every writer uses the second
                    RunningApp on = (writer + round) % 2 == 0 && first.process.isAlive() ? first : second;
                    String name = "w" + writer + "-r" + round + ".csv";
                    EventsIT.upload(on, name, EventsIT.rows(1), "");
                    assertThat(call(on, "DELETE", "/v1/files/" + name, HttpRequest.BodyPublishers.noBody(), null)
                            .statusCode()).isEqualTo(204);
                }
                return null;
            }));
        }
        WebhookReceivers.await(Duration.ofSeconds(30), () -> sequences(out).size() >= WRITERS * ROUNDS / 2,
                "the first half of the deliveries");
        first.kill();
        for (Future<?> writer : writers) {
            writer.get();
        }
        pool.shutdown();
        int total = WRITERS * ROUNDS * 2;
        WebhookReceivers.await(Duration.ofSeconds(60), () -> sequences(out).size() == total, "every delivery");

        assertThat(WebhookReceivers.sequences(out))
                .containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
        List<JsonNode> events = EventsIT.feed(second);
        EventsIT.assertNoGap(events);
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
                .get("space").get("usedBytes").asLong()).isZero();
    }

    private static List<Long> sequences(Path out) {
        try {
            return WebhookReceivers.sequences(out);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
