package dev.filestaging.domain.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.filestaging.ports.CompressionFormat;
import dev.filestaging.ports.DataFormat;
import dev.filestaging.ports.Digest;
import dev.filestaging.ports.FileKey;
import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.Principal;
import dev.filestaging.ports.ProjectId;
import dev.filestaging.ports.Role;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.StoredFile;
import dev.filestaging.ports.events.DeliveryAttempt;
import dev.filestaging.ports.fixtures.InMemoryCatalog;
import dev.filestaging.ports.fixtures.InMemoryWebhookStore;
import dev.filestaging.ports.fixtures.MutableClock;
import dev.filestaging.ports.in.ManageWebhooks;
import dev.filestaging.ports.out.catalog.Catalog;
import dev.filestaging.ports.out.catalog.CatalogFile;
import dev.filestaging.ports.out.events.WebhookTransport;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Deliveries against the in-memory catalog and webhook store, with an endpoint that answers as each test says (the
 * HTTP transport itself is tested against real servers and a Node verifier in the HTTP adapter).
 */
class WebhookDispatcherTest {
    private static final OrganizationId ACME = new OrganizationId("acme");
    private static final StagingArea AREA = StagingArea.defaultProjectOf(ACME);
    private static final StagingArea OTHER = new StagingArea(ACME, new ProjectId("other"));
    private static final Principal MANAGER = new Principal(ACME, "sa-m", Set.of(Role.MANAGE_FILES));

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T12:00:00Z"));
    private final InMemoryCatalog catalog = new InMemoryCatalog(clock);
    private final InMemoryWebhookStore store = new InMemoryWebhookStore(clock);
    private final Endpoint endpoint = new Endpoint();
    private final List<DeliveryAttempt> attempts = Collections.synchronizedList(new ArrayList<>());
    private final Webhooks webhooks = new Webhooks(store, endpoint, catalog, clock);
    private final WebhookDispatcher dispatcher = dispatcher(Runnable::run);

    private WebhookDispatcher dispatcher(java.util.concurrent.Executor workers) {
        return new WebhookDispatcher(store, endpoint, catalog, clock, workers, (id, attempt) -> attempts.add(attempt));
    }

    /** An endpoint that records what it receives and answers what {@link #answer} says. */
    private static final class Endpoint implements WebhookTransport {
        final ConcurrentLinkedDeque<String> received = new ConcurrentLinkedDeque<>();
        volatile Function<Message, Result> answer = message -> new Result.Delivered(200);

        @Override
        public Result deliver(URI url, List<String> secrets, Message message) {
            Result result = answer.apply(message);
            if (result instanceof Result.Delivered) {
                received.add(message.change().area().project().value() + "/" + message.change().key().name()
                        + "#" + message.change().kind().type());
            }
            return result;
        }

        @Override
        public Optional<String> refusal(URI url) {
            return url.getHost().equals("refused.example") ? Optional.of("a private address") : Optional.empty();
        }
    }

    private void commit(StagingArea area, String name) {
        StoredFile file = new StoredFile(UUID.randomUUID(), new FileKey(area, name), 1, DataFormat.CSV,
                CompressionFormat.GZ, Digest.md5("900150983CD24FB0D6963F7D28E17F72"), "sa-1", clock.instant());
        catalog.commit(new CatalogFile(file, "blob" + UUID.randomUUID().toString().replace("-", "")), Catalog.NO_LIMIT);
    }

    private String register(Optional<ProjectId> project, Set<String> types, String pattern) {
        ManageWebhooks.RegisterOutcome outcome = webhooks.register(MANAGER,
                new ManageWebhooks.WebhookRequest(project, "https://hooks.example/in", types, pattern));
        assertThat(outcome).isInstanceOf(ManageWebhooks.RegisterOutcome.Registered.class);
        return ((ManageWebhooks.RegisterOutcome.Registered) outcome).webhook().id();
    }

    @Test
    void an_endpoint_receives_what_happens_after_its_registration_in_order_once() {
        commit(AREA, "before");
        register(Optional.empty(), Set.of(), null);
        commit(AREA, "a");
        commit(OTHER, "x");
        commit(AREA, "b");
        catalog.delete(new FileKey(AREA, "a"), Optional.empty());

        dispatcher.tick();
        dispatcher.tick();

        assertThat(endpoint.received).containsExactlyInAnyOrder("default/a#file.committed",
                "default/b#file.committed", "default/a#file.deleted", "other/x#file.committed");
        assertThat(endpoint.received.stream().filter(e -> e.startsWith("default/")).toList())
                .containsExactly("default/a#file.committed", "default/b#file.committed", "default/a#file.deleted");
        assertThat(attempts).allMatch(a -> a.outcome() == DeliveryAttempt.Outcome.DELIVERED).hasSize(4);
    }

    @Test
    void a_failing_endpoint_is_retried_with_backoff_and_the_next_event_waits_for_the_first() {
        String id = register(Optional.of(ProjectId.DEFAULT), Set.of(), null);
        endpoint.answer = message -> new WebhookTransport.Result.Failed(500, "500 Internal Server Error",
                Optional.empty());
        commit(AREA, "a");
        commit(AREA, "b");

        dispatcher.tick();
        dispatcher.tick(); // before its next attempt: nothing is tried

        assertThat(attempts).singleElement().satisfies(attempt -> {
            assertThat(attempt.outcome()).isEqualTo(DeliveryAttempt.Outcome.FAILED);
            assertThat(attempt.sequence()).isEqualTo(1);
            assertThat(Duration.between(clock.instant(), attempt.nextAttempt().orElseThrow()))
                    .isBetween(Duration.ofMillis(800), Duration.ofMillis(1200));
        });
        endpoint.answer = message -> new WebhookTransport.Result.Failed(429, "429 Too Many Requests",
                Optional.of(Duration.ofSeconds(30)));
        clock.advance(Duration.ofSeconds(2));
        dispatcher.tick();
        assertThat(attempts.get(1).nextAttempt()).contains(clock.instant().plusSeconds(30));
        clock.advance(Duration.ofSeconds(20));
        dispatcher.tick();
        assertThat(attempts).hasSize(2);

        endpoint.answer = message -> new WebhookTransport.Result.Delivered(204);
        clock.advance(Duration.ofSeconds(11));
        dispatcher.tick();

        assertThat(endpoint.received).containsExactly("default/a#file.committed", "default/b#file.committed");
        assertThat(webhooks.get(MANAGER, id).orElseThrow().progress()).singleElement()
                .satisfies(progress -> assertThat(progress.delivered()).isEqualTo(2));
    }

    @Test
    void an_event_failing_for_three_days_is_given_up_and_the_next_one_goes() {
        register(Optional.empty(), Set.of(), null);
        endpoint.answer = message -> message.change().key().name().equals("poison")
                ? new WebhookTransport.Result.Failed(0, "connection refused", Optional.empty())
                : new WebhookTransport.Result.Delivered(200);
        commit(AREA, "poison");
        commit(AREA, "fine");
        for (int hour = 0; hour <= 74; hour++) {
            dispatcher.tick();
            clock.advance(Duration.ofHours(1));
        }
        assertThat(endpoint.received).containsExactly("default/fine#file.committed");
        assertThat(attempts.stream().filter(a -> a.outcome() == DeliveryAttempt.Outcome.GIVEN_UP))
                .singleElement().satisfies(a -> assertThat(a.error().orElseThrow()).contains("given up after"));
    }

    @Test
    void an_endpoint_that_answers_410_is_disabled_and_receives_nothing_more() {
        String id = register(Optional.empty(), Set.of(), null);
        endpoint.answer = message -> new WebhookTransport.Result.Gone();
        commit(AREA, "a");
        dispatcher.tick();
        endpoint.answer = message -> new WebhookTransport.Result.Delivered(200);
        commit(AREA, "b");
        dispatcher.tick();

        assertThat(endpoint.received).isEmpty();
        assertThat(webhooks.get(MANAGER, id).orElseThrow().webhook().enabled()).isFalse();
        assertThat(store.enabled()).isEmpty();
    }

    @Test
    void types_and_patterns_select_what_an_endpoint_receives_the_rest_is_passed_without_attempts() {
        register(Optional.empty(), Set.of("file.deleted"), "*.csv");
        commit(AREA, "a.csv");
        commit(AREA, "b.json");
        catalog.delete(new FileKey(AREA, "b.json"), Optional.empty());
        catalog.delete(new FileKey(AREA, "a.csv"), Optional.empty());
        dispatcher.tick();

        assertThat(endpoint.received).containsExactly("default/a.csv#file.deleted");
        assertThat(attempts).hasSize(1);
    }

    @Test
    void events_removed_by_the_retention_before_delivery_are_said_given_up_and_the_rest_delivered() {
        register(Optional.empty(), Set.of(), null);
        endpoint.answer = message -> new WebhookTransport.Result.Failed(503, "down", Optional.empty());
        commit(AREA, "a");
        dispatcher.tick();
        clock.advance(Duration.ofDays(1));
        commit(AREA, "b");
        catalog.trimChanges(clock.instant().minusSeconds(1), 100);
        endpoint.answer = message -> new WebhookTransport.Result.Delivered(200);
        dispatcher.tick();

        assertThat(endpoint.received).containsExactly("default/b#file.committed");
        assertThat(attempts).extracting(DeliveryAttempt::outcome).containsExactly(DeliveryAttempt.Outcome.FAILED,
                DeliveryAttempt.Outcome.GIVEN_UP, DeliveryAttempt.Outcome.DELIVERED);
        assertThat(attempts.get(1).error().orElseThrow()).contains("removed by the retention");
    }

    @Test
    void two_processes_delivering_at_once_deliver_each_event_once_in_order() throws Exception {
        register(Optional.empty(), Set.of(), null);
        for (int i = 0; i < 200; i++) {
            commit(AREA, String.format("f%03d", i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        WebhookDispatcher one = dispatcher(pool);
        WebhookDispatcher two = dispatcher(pool);
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> tickers = new ArrayList<>();
        for (WebhookDispatcher each : List.of(one, two)) {
            Thread ticker = new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < 200 && endpoint.received.size() < 200; i++) {
                        each.tick();
                        Thread.sleep(2);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            ticker.start();
            tickers.add(ticker);
        }
        start.countDown();
        for (Thread ticker : tickers) {
            ticker.join();
        }
        pool.shutdown();
        pool.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);

        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            expected.add(String.format("default/f%03d#file.committed", i));
        }
        assertThat(endpoint.received).containsExactlyElementsOf(expected);
    }

    @Test
    void registration_refuses_what_cannot_receive_events() {
        assertThat(webhooks.register(MANAGER, new ManageWebhooks.WebhookRequest(Optional.empty(),
                "https://refused.example/", Set.of(), null))).isInstanceOf(ManageWebhooks.RegisterOutcome.Invalid.class);
        assertThat(webhooks.register(MANAGER, new ManageWebhooks.WebhookRequest(Optional.empty(),
                "ftp://hooks.example/", Set.of(), null))).isInstanceOf(ManageWebhooks.RegisterOutcome.Invalid.class);
        assertThat(webhooks.register(MANAGER, new ManageWebhooks.WebhookRequest(Optional.empty(),
                "https://hooks.example/", Set.of("file.created"), null)))
                .isInstanceOf(ManageWebhooks.RegisterOutcome.Invalid.class);
        assertThat(webhooks.register(MANAGER, new ManageWebhooks.WebhookRequest(Optional.empty(),
                "https://hooks.example/" + "x".repeat(3000), Set.of(), null)))
                .isInstanceOf(ManageWebhooks.RegisterOutcome.Invalid.class);
        for (int i = 0; i < ManageWebhooks.MAX_PER_ORGANIZATION; i++) {
            register(Optional.empty(), Set.of(), null);
        }
        assertThat(webhooks.register(MANAGER, new ManageWebhooks.WebhookRequest(Optional.empty(),
                "https://hooks.example/", Set.of(), null))).isInstanceOf(ManageWebhooks.RegisterOutcome.TooMany.class);
        Principal stranger = new Principal(new OrganizationId("globex"), "sa-g", Set.of(Role.MANAGE_FILES));
        assertThat(webhooks.list(stranger)).isEmpty();
        String id = webhooks.list(MANAGER).get(0).id();
        assertThat(webhooks.get(stranger, id)).isEmpty();
        assertThat(webhooks.remove(stranger, id)).isFalse();
        assertThat(webhooks.remove(MANAGER, id)).isTrue();
    }

    @Test
    void a_replay_delivers_the_events_after_the_cursor_again_in_order() {
        String id = register(Optional.empty(), Set.of(), null);
        commit(AREA, "a");
        commit(AREA, "b");
        dispatcher.tick();
        endpoint.received.clear();

        ManageWebhooks.ReplayOutcome replay = webhooks.replay(MANAGER, id, ProjectId.DEFAULT,
                Optional.of(dev.filestaging.ports.events.FeedCursor.of(AREA, 1)));
        dispatcher.tick();

        assertThat(replay).isInstanceOf(ManageWebhooks.ReplayOutcome.Replaying.class);
        assertThat(endpoint.received).containsExactly("default/b#file.committed");
        assertThat(webhooks.replay(MANAGER, id, ProjectId.DEFAULT, Optional.of("nonsense")))
                .isInstanceOf(ManageWebhooks.ReplayOutcome.CursorInvalid.class);
        webhooks.replay(MANAGER, id, ProjectId.DEFAULT, Optional.empty());
        endpoint.received.clear();
        dispatcher.tick();
        assertThat(endpoint.received).containsExactly("default/a#file.committed", "default/b#file.committed");
    }

    @Test
    void endpoints_registered_while_deliveries_run_receive_nothing_from_before_their_registration() throws Exception {
        for (int p = 0; p < 30; p++) {
            commit(new StagingArea(ACME, new ProjectId("p" + p)), "old.csv");
        }
        store.pauseAfterAdd(Duration.ofMillis(20)); // between the endpoint's addition and its starting points
        java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread ticker = new Thread(() -> {
            while (running.get()) {
                dispatcher.tick();
            }
        });
        ticker.start();
        try {
            for (int i = 0; i < 20; i++) {
                register(Optional.empty(), Set.of(), null);
            }
            Thread.sleep(200);
        } finally {
            running.set(false);
            ticker.join();
        }
        assertThat(endpoint.received).as("found by the hostile tester: a race of registration and deliveries")
                .isEmpty();
    }

    @Test
    void backoff_doubles_from_a_second_to_an_hour_with_a_fifth_of_jitter() {
        assertThat(WebhookDispatcher.backoff(1)).isBetween(Duration.ofMillis(800), Duration.ofMillis(1200));
        assertThat(WebhookDispatcher.backoff(4)).isBetween(Duration.ofMillis(6400), Duration.ofMillis(9600));
        assertThat(WebhookDispatcher.backoff(40)).isBetween(Duration.ofMinutes(48), Duration.ofMinutes(72));
    }
}
