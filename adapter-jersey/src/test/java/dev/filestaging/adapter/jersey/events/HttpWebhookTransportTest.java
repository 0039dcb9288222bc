package dev.filestaging.adapter.jersey.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.filestaging.ports.events.Change;
import dev.filestaging.ports.out.events.WebhookTransport.Message;
import dev.filestaging.ports.out.events.WebhookTransport.Result;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The transport against a real HTTP server on loopback (so with private targets allowed, except where refusals are
 * the point): what arrives, what each kind of answer becomes, and that no endpoint can hold a delivery past its
 * bounds.
 */
class HttpWebhookTransportTest {
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final Duration CONNECT = Duration.ofMillis(500);
    private static final Duration ANSWER = Duration.ofMillis(800);
    /** Slack for a loaded machine: what is asserted is that nothing waits for the endpoint beyond its bound. */
    private static final Duration SLACK = Duration.ofMillis(1500);
    private static final Change CHANGE = CloudEventsTest.everyKind().get(0);

    private static HttpServer server;
    private static ExecutorService serverThreads;
    private static final BlockingQueue<Received> RECEIVED = new LinkedBlockingQueue<>();
    private static final AtomicLong REQUESTS = new AtomicLong();
    private static final CountDownLatch STOPPING = new CountDownLatch(1);
    private static final AtomicLong ENDLESS_BYTES_SENT = new AtomicLong();
    private static final CountDownLatch TRICKLE_CUT_OFF = new CountDownLatch(1);

    private final HttpWebhookTransport transport = new HttpWebhookTransport(settings(true));

    record Received(String path, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> String.join(",", e.getValue())).findFirst().orElse(null);
        }
    }

    @BeforeAll
    static void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        serverThreads = Executors.newCachedThreadPool();
        server.setExecutor(serverThreads);
        route("/ok", exchange -> answer(exchange, 204, Map.of(), ""));
        route("/accepted", exchange -> answer(exchange, 202, Map.of(), "{\"queued\":true}"));
        route("/gone", exchange -> answer(exchange, 410, Map.of(), "unsubscribed"));
        route("/broken", exchange -> answer(exchange, 500, Map.of(),
                "database down\n\tat line 3\u0007" + "x".repeat(500)));
        route("/limited", exchange -> answer(exchange, 429, Map.of("Retry-After", "120"), ""));
        route("/unavailable", exchange -> answer(exchange, 503, Map.of("Retry-After", DateTimeFormatter
                .RFC_1123_DATE_TIME.format(Instant.now().plusSeconds(90).atZone(ZoneOffset.UTC))), ""));
        route("/years", exchange -> answer(exchange, 503, Map.of("Retry-After", "31536000"), ""));
        route("/nonsense", exchange -> answer(exchange, 503, Map.of("Retry-After", "soon, maybe"), ""));
        route("/moved", exchange -> answer(exchange, 302, Map.of("Location", "/ok"), ""));
        route("/silent", exchange -> await());
        route("/endless", exchange -> {
            exchange.sendResponseHeaders(200, 0); // chunked, no end
            byte[] chunk = new byte[8192];
            try (OutputStream out = exchange.getResponseBody()) {
                for (long sent = 0; sent < 1L << 30 && STOPPING.getCount() > 0; sent += chunk.length) {
                    out.write(chunk);
                    ENDLESS_BYTES_SENT.addAndGet(chunk.length);
                }
            } catch (IOException cutOff) {
                // the transport stopped reading and closed the connection
            }
        });
        route("/trickle", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                while (!STOPPING.await(100, TimeUnit.MILLISECONDS)) {
                    out.write('x');
                    out.flush();
                }
            } catch (IOException cutOff) {
                TRICKLE_CUT_OFF.countDown(); // the transport gave up on the body and closed the connection
            } catch (InterruptedException stopping) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
    }

    @AfterAll
    static void stop() {
        STOPPING.countDown();
        server.stop(0);
        serverThreads.shutdownNow();
    }

    @BeforeEach
    void forget() {
        RECEIVED.clear();
    }

    @Test
    void the_event_arrives_as_signed_cloudevents_json_with_the_standard_webhooks_headers() throws Exception {
        Instant attempt = Instant.parse("2026-12-08T09:00:00.750Z");
        String rotatedOut = WebhookSecrets.newSecret();

        Result result = transport.deliver(url("/ok"), List.of(SECRET, rotatedOut), new Message(CHANGE, attempt));

        assertThat(result).isEqualTo(new Result.Delivered(204));
        Received request = RECEIVED.poll(5, TimeUnit.SECONDS);
        assertThat(request).isNotNull();
        assertThat(request.body()).isEqualTo(CloudEvents.json(CHANGE));
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        assertThat(request.header("User-Agent")).isEqualTo("filestaging-test/1");
        assertThat(request.header("webhook-id")).isEqualTo(CHANGE.eventId());
        assertThat(request.header("webhook-timestamp")).isEqualTo("1796720400");
        // recomputed here from the specification, not with the class under test
        String signed = CHANGE.eventId() + ".1796720400." + new String(request.body(), StandardCharsets.UTF_8);
        assertThat(request.header("webhook-signature").split(" "))
                .containsExactly("v1," + hmac(SECRET, signed), "v1," + hmac(rotatedOut, signed));
    }

    @Test
    void a_2xx_is_delivered_and_410_is_gone() {
        assertThat(deliver("/accepted")).isEqualTo(new Result.Delivered(202));
        assertThat(deliver("/gone")).isEqualTo(new Result.Gone());
    }

    @Test
    void another_status_fails_with_a_short_error_quoting_the_start_of_the_answer_on_one_line() {
        Result result = deliver("/broken");

        assertThat(result).isInstanceOfSatisfying(Result.Failed.class, failed -> {
            assertThat(failed.status()).isEqualTo(500);
            assertThat(failed.error()).startsWith("HTTP 500: database down at line 3 xxx").hasSizeLessThan(200)
                    .doesNotContain("\n", "\t", "\u0007");
            assertThat(failed.retryAfter()).isEmpty();
        });
    }

    @Test
    void retry_after_in_seconds_or_as_a_date_is_kept_bounded_to_a_day_and_ignored_when_malformed() {
        assertThat(retryAfter(deliver("/limited"))).contains(Duration.ofSeconds(120));
        assertThat(retryAfter(deliver("/unavailable")).orElseThrow())
                .isBetween(Duration.ofSeconds(80), Duration.ofSeconds(90));
        assertThat(retryAfter(deliver("/years"))).contains(Duration.ofDays(1));
        assertThat(retryAfter(deliver("/nonsense"))).isEmpty();
        assertThat(((Result.Failed) deliver("/limited")).status()).isEqualTo(429);
    }

    @Test
    void a_redirect_is_a_failure_and_is_not_followed() throws Exception {
        Result result = deliver("/moved");

        assertThat(result).isInstanceOfSatisfying(Result.Failed.class, failed -> {
            assertThat(failed.status()).isEqualTo(302);
            assertThat(failed.error()).contains("redirect", "/ok", "not followed");
        });
        assertThat(RECEIVED.poll(1, TimeUnit.SECONDS).path()).isEqualTo("/moved");
        assertThat(RECEIVED.poll(300, TimeUnit.MILLISECONDS)).as("nothing asked for /ok").isNull();
    }

    @Test
    void an_endpoint_that_never_answers_fails_within_the_answer_timeout() {
        long start = System.nanoTime();
        Result result = deliver("/silent");
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(result).isInstanceOfSatisfying(Result.Failed.class, failed -> {
            assertThat(failed.status()).isZero();
            assertThat(failed.error()).contains("no answer within");
            assertThat(failed.retryAfter()).isEmpty();
        });
        assertThat(took).isBetween(ANSWER.minusMillis(50), ANSWER.plus(SLACK));
    }

    @Test
    void an_endless_body_is_cut_off_after_the_bytes_read_and_the_delivery_returns_at_once() {
        long start = System.nanoTime();
        Result result = deliver("/endless");
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(result).isEqualTo(new Result.Delivered(200));
        assertThat(took).isLessThan(ANSWER);
        assertThat(ENDLESS_BYTES_SENT.get()).as("the server stopped once the connection closed")
                .isLessThan(64L * 1024 * 1024);
    }

    @Test
    void a_body_trickling_in_does_not_hold_the_delivery_past_both_timeouts_and_its_status_counts() throws Exception {
        long start = System.nanoTime();
        Result result = deliver("/trickle");
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(result).isEqualTo(new Result.Delivered(200));
        assertThat(took).isLessThan(CONNECT.plus(ANSWER).plus(SLACK));
        assertThat(TRICKLE_CUT_OFF.await(5, TimeUnit.SECONDS)).as("the connection was closed, not left reading")
                .isTrue();
    }

    @Test
    void one_transport_serves_many_deliveries_at_once() throws Exception {
        ExecutorService senders = Executors.newFixedThreadPool(8);
        try {
            List<Future<Result>> results = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                String path = i % 2 == 0 ? "/ok" : "/gone";
                results.add(senders.submit(() -> deliver(path)));
            }
            for (int i = 0; i < results.size(); i++) {
                assertThat(results.get(i).get(10, TimeUnit.SECONDS))
                        .isEqualTo(i % 2 == 0 ? new Result.Delivered(204) : new Result.Gone());
            }
        } finally {
            senders.shutdownNow();
        }
    }

    @Test
    void a_closed_port_fails_with_no_status() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        Result result = transport.deliver(URI.create("http://127.0.0.1:" + closed + "/"), List.of(SECRET),
                new Message(CHANGE, Instant.now()));

        assertThat(result).isInstanceOfSatisfying(Result.Failed.class, failed -> {
            assertThat(failed.status()).isZero();
            assertThat(failed.error()).contains("could not connect");
            assertThat(failed.retryAfter()).isEmpty();
        });
    }

    @Test
    void without_private_targets_loopback_private_and_malformed_urls_are_refused_without_connecting() {
        HttpWebhookTransport strict = new HttpWebhookTransport(settings(false));
        int port = server.getAddress().getPort();
        long before = REQUESTS.get();
        for (String target : List.of("http://127.0.0.1:" + port + "/ok", "http://localhost:" + port + "/ok",
                "http://10.1.2.3/", "http://[::1]:" + port + "/ok", "http://169.254.169.254/latest/meta-data/",
                "ftp://x/", "http://user@example.com/", "http://user:pw@127.0.0.1:" + port + "/ok",
                "http://[::ffff:127.0.0.1]:" + port + "/ok", "http://0.0.0.0:" + port + "/ok")) {
            URI url = URI.create(target);
            Optional<String> refusal = strict.refusal(url);
            assertThat(refusal).as(target).isPresent();

            Result result = strict.deliver(url, List.of(SECRET), new Message(CHANGE, Instant.now()));
            assertThat(result).as(target).isEqualTo(new Result.Failed(0, refusal.get(), Optional.empty()));
        }
        assertThat(REQUESTS.get()).as("the server saw no request").isEqualTo(before);
        assertThat(transport.refusal(url("/ok"))).as("allowed when private targets are").isEmpty();
    }

    /**
     * A raw server that reads each request and closes the connection without a byte of answer, {@code closing} times,
     * then answers 204; how many requests it read.
     */
    private static java.util.concurrent.atomic.AtomicInteger closingServer(java.net.ServerSocket socket, int closing) {
        java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();
        Thread server = new Thread(() -> {
            while (!socket.isClosed()) {
                try (java.net.Socket connection = socket.accept()) {
                    java.io.InputStream in = connection.getInputStream();
                    byte[] buffer = new byte[65536];
                    in.read(buffer); // the head and (small) body
                    if (requests.incrementAndGet() > closing) {
                        connection.getOutputStream().write(
                                "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                } catch (IOException closed) {
                    return;
                }
            }
        });
        server.setDaemon(true);
        server.start();
        return requests;
    }

    @Test
    void a_connection_closed_before_any_answer_is_tried_once_more_at_once_and_then_fails() throws Exception {
        try (java.net.ServerSocket once = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
             java.net.ServerSocket always = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            java.util.concurrent.atomic.AtomicInteger toOnce = closingServer(once, 1);
            java.util.concurrent.atomic.AtomicInteger toAlways = closingServer(always, Integer.MAX_VALUE);

            Result retried = transport.deliver(URI.create("http://127.0.0.1:" + once.getLocalPort() + "/in"),
                    List.of(SECRET), new Message(CHANGE, Instant.now()));
            Result failed = transport.deliver(URI.create("http://127.0.0.1:" + always.getLocalPort() + "/in"),
                    List.of(SECRET), new Message(CHANGE, Instant.now()));

            assertThat(retried).isEqualTo(new Result.Delivered(204));
            assertThat(toOnce.get()).isEqualTo(2);
            assertThat(failed).isInstanceOf(Result.Failed.class);
            assertThat(toAlways.get()).as("one retry, not more").isEqualTo(2);
        }
    }

    @Test
    void a_malformed_secret_is_a_failure_of_the_delivery_not_an_exception() {
        Result result = transport.deliver(url("/ok"), List.of("not-a-secret"), new Message(CHANGE, Instant.now()));

        assertThat(result).isInstanceOfSatisfying(Result.Failed.class,
                failed -> assertThat(failed.error()).contains("whsec_").doesNotContain("not-a-secret"));
    }

    static HttpWebhookTransport.Settings settings(boolean allowPrivate) {
        return new HttpWebhookTransport.Settings(CONNECT, ANSWER, allowPrivate, 4096, "filestaging-test/1");
    }

    private Result deliver(String path) {
        return transport.deliver(url(path), List.of(SECRET), new Message(CHANGE, Instant.now()));
    }

    private static Optional<Duration> retryAfter(Result result) {
        assertThat(result).isInstanceOf(Result.Failed.class);
        return ((Result.Failed) result).retryAfter();
    }

    static URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private interface Handler {
        void handle(HttpExchange exchange) throws IOException;
    }

    private static void route(String path, Handler handler) {
        server.createContext(path, (HttpHandler) exchange -> {
            REQUESTS.incrementAndGet();
            byte[] body = exchange.getRequestBody().readAllBytes();
            RECEIVED.add(new Received(exchange.getRequestURI().getPath(), Map.copyOf(exchange.getRequestHeaders()),
                    body));
            try {
                handler.handle(exchange);
            } finally {
                exchange.close();
            }
        });
    }

    private static void answer(HttpExchange exchange, int status, Map<String, String> headers, String body)
            throws IOException {
        headers.forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
    }

    private static void await() {
        try {
            STOPPING.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String hmac(String secret, String content) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
        return Base64.getEncoder().encodeToString(mac.doFinal(content.getBytes(StandardCharsets.UTF_8)));
    }
}
