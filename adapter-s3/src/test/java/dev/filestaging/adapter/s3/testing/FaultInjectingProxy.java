package dev.filestaging.adapter.s3.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * An HTTP forwarder in front of a real S3 server that misbehaves on purpose: it can drop request headers (a store that
 * ignores {@code If-None-Match}, say) and answer chosen requests with an error instead of forwarding them (S3's
 * {@code 503 SlowDown} on an upload part). Everything else passes through unchanged.
 */
public final class FaultInjectingProxy implements AutoCloseable {

    /** A request as the proxy sees it: method, path with query, and headers (names in lower case). */
    public record Request(String method, String pathAndQuery) {
        /**
         * The write that completes a blob's object: its single {@code PutObject}, or the
         * {@code CompleteMultipartUpload} of its parts (the moment its bytes become readable; the catalog's commit
         * follows).
         */
        public boolean isBlobCompletion() {
            return pathAndQuery.contains("/blobs/") && ("PUT".equals(method) && !pathAndQuery.contains("partNumber=")
                    || "POST".equals(method) && pathAndQuery.contains("uploadId="));
        }

        /** A DELETE of a finished blob's object (after the catalog removed its file). */
        public boolean isBlobDelete() {
            return "DELETE".equals(method) && pathAndQuery.contains("/blobs/") && !pathAndQuery.contains("uploadId=");
        }

        /** An S3 UploadPart call. */
        public boolean isUploadPart() {
            return "PUT".equals(method) && pathAndQuery.contains("partNumber=") && pathAndQuery.contains("uploadId=");
        }
    }

    private static final Set<String> NEVER_FORWARDED = Set.of(
            "host", "content-length", "connection", "expect", "upgrade", "transfer-encoding");

    private final HttpServer server;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final URI target;
    private final Set<String> dropped = new HashSet<>(NEVER_FORWARDED);
    private volatile Predicate<Request> failing = request -> false;
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private volatile int failureStatus;
    private volatile boolean failAfterForwarding;
    private volatile Predicate<Request> holding = request -> false;
    private volatile boolean forwardHeld;
    private volatile Predicate<Request> crashing = request -> false;
    private volatile boolean crashForwarded;
    private volatile boolean crashed;
    private final java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
    private final java.util.concurrent.CountDownLatch released = new java.util.concurrent.CountDownLatch(1);

    public FaultInjectingProxy(URI target) throws IOException {
        this.target = target;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Stops forwarding this request header (case-insensitive). */
    public FaultInjectingProxy droppingHeader(String name) {
        dropped.add(name.toLowerCase(Locale.ROOT));
        return this;
    }

    /** The next {@code times} requests that match are answered with {@code status} and an S3 error body. */
    public void failNext(Predicate<Request> matching, int times, int status) {
        failNext(matching, times, status, false);
    }

    /**
     * As {@link #failNext(Predicate, int, int)}, but with {@code afterForwarding} the request is first done by S3 and
     * only its answer replaced: the caller sees a failure of a call that took effect, as when S3 fails after writing.
     */
    public void failNext(Predicate<Request> matching, int times, int status, boolean afterForwarding) {
        failAfterForwarding = afterForwarding;
        failureStatus = status;
        failuresLeft.set(times);
        failing = matching;
    }

    /**
     * Holds the next request that matches: either before forwarding it (S3 never sees it) or after (S3 has done it,
     * but the answer is kept from the caller), until {@link #release()}; then the caller gets a 503 or the real
     * answer. For killing the caller at a chosen point of a protocol.
     */
    public void holdNext(Predicate<Request> matching, boolean forwardFirst) {
        forwardHeld = forwardFirst;
        holding = matching;
    }

    /**
     * Plays the death of the process behind the proxy ({@code kill -9}) at the next request that matches: that request
     * is done by S3 ({@code forwardFirst}) or not, and from then on nothing more reaches S3, whatever the process
     * tries (its retries, its clean-up, its heartbeat): every request is answered 503.
     */
    public void crashAt(Predicate<Request> matching, boolean forwardFirst) {
        crashForwarded = forwardFirst;
        crashing = matching;
    }

    /** Whether the crash of {@link #crashAt} happened. */
    public boolean crashed() {
        return crashed;
    }

    /** Waits until a request is being held. */
    public boolean awaitHeld(java.time.Duration timeout) throws InterruptedException {
        return held.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    public void release() {
        released.countDown();
    }

    /** How many requests were failed on purpose so far. */
    public int failedRequests() {
        return failed.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Request seen = new Request(exchange.getRequestMethod(), exchange.getRequestURI().toString());
            if (!crashed && crashing.test(seen)) {
                crashing = request -> false;
                if (crashForwarded) {
                    send(exchange, body);
                }
                crashed = true;
            }
            if (crashed) {
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            if (failing.test(seen) && failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                failed.incrementAndGet();
                if (failAfterForwarding) {
                    send(exchange, body);
                }
                byte[] error = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SlowDown</Code><Message>"
                        + "injected by the test</Message></Error>").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/xml");
                exchange.sendResponseHeaders(failureStatus, error.length);
                exchange.getResponseBody().write(error);
                return;
            }
            if (holding.test(seen)) {
                holding = request -> false;
                hold(exchange, body);
                return;
            }
            forward(exchange, body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void hold(HttpExchange exchange, byte[] body) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = forwardHeld ? send(exchange, body) : null;
        held.countDown();
        released.await();
        if (response == null) {
            exchange.sendResponseHeaders(503, -1);
        } else {
            answer(exchange, response);
        }
    }

    private void forward(HttpExchange exchange, byte[] body) throws IOException, InterruptedException {
        answer(exchange, send(exchange, body));
    }

    private HttpResponse<byte[]> send(HttpExchange exchange, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(target.resolve(exchange.getRequestURI().toString()))
                .method(exchange.getRequestMethod(), body.length == 0
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!dropped.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> request.header(name, value));
            }
        });
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private void answer(HttpExchange exchange, HttpResponse<byte[]> response) throws IOException {
        response.headers().map().forEach((name, values) -> {
            if (!NEVER_FORWARDED.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                exchange.getResponseHeaders().put(name, List.copyOf(values));
            }
        });
        boolean noBody = response.body().length == 0 || "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(response.statusCode(), noBody ? -1 : response.body().length);
        if (!noBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(response.body());
            }
        }
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
    }
}
