package dev.filestaging.adapter.jersey.events;

import dev.filestaging.ports.out.events.WebhookTransport;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Delivers events over HTTP with the JDK's client: one POST of the event as CloudEvents JSON, signed as Standard
 * Webhooks says. Safe for concurrent use: it holds only immutable settings and one shared {@link HttpClient}.
 *
 * <p>Bounded: connecting takes at most {@link Settings#connectTimeout}, the answer's status must come within
 * {@link Settings#answerTimeout}, and of its body at most {@link Settings#maxResponseBytes} are read (an endless body
 * is cut off there). A whole delivery therefore ends within the two timeouts, once its host is resolved. Redirects
 * are never followed: a 3xx is a failure, and the endpoint's URL is the one to fix (Standard Webhooks, "Delivery
 * success and failure"); following one would also reach a target {@link #refusal} never checked.
 */
public final class HttpWebhookTransport implements WebhookTransport {
    /**
     * The body's {@code Content-Type}. The body is a structured-mode CloudEvent, whose own media type is
     * {@link CloudEvents#MEDIA_TYPE}; it is sent as {@code application/json} because webhook receivers are ordinary
     * web handlers, and common ones parse only {@code application/json} by default (Express's {@code express.json()}
     * leaves an {@code application/cloudevents+json} body unparsed), while Standard Webhooks asks for JSON and its
     * verifiers read the raw bytes whatever the type. The cost: CloudEvents SDKs choose the mode by the media type,
     * so a receiver built on one parses the body as JSON itself rather than through the SDK's HTTP binding.
     */
    public static final String CONTENT_TYPE = "application/json";
    /** The longest piece of an answer's body quoted in an error, so an error stays short. */
    static final int QUOTED_BODY = 160;

    /**
     * How deliveries are bounded and where they may go.
     *
     * @param connectTimeout      the longest a TCP (and TLS) connection may take to open
     * @param answerTimeout       the longest the endpoint may take to answer with a status once the request is on its
     *                            way; a body still arriving when both timeouts have passed is cut off, and the
     *                            status alone counts
     * @param allowPrivateTargets whether loopback, link-local, private and other non-public addresses may receive
     *                            events: for tests and closed networks only, since it lets whoever registers a webhook
     *                            make the service call its own network
     * @param maxResponseBytes    the most bytes of an answer's body read (only quoted in errors); the rest is cut off
     * @param userAgent           the {@code User-Agent} sent, so receivers can tell the service's calls in their logs
     */
    public record Settings(Duration connectTimeout, Duration answerTimeout, boolean allowPrivateTargets,
                           int maxResponseBytes, String userAgent) {
        public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
        public static final Duration DEFAULT_ANSWER_TIMEOUT = Duration.ofSeconds(10);
        public static final int DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024;

        public Settings {
            Objects.requireNonNull(connectTimeout, "connectTimeout");
            Objects.requireNonNull(answerTimeout, "answerTimeout");
            Objects.requireNonNull(userAgent, "userAgent");
            if (connectTimeout.toMillis() < 1 || answerTimeout.toMillis() < 1) {
                throw new IllegalArgumentException("the webhook timeouts must be at least a millisecond");
            }
            if (maxResponseBytes < 0) {
                throw new IllegalArgumentException("the bytes read of an answer cannot be negative");
            }
            if (userAgent.isBlank() || userAgent.chars().anyMatch(c -> c < 0x20 || c > 0x7e)) {
                throw new IllegalArgumentException("the user agent is printable ASCII, not blank");
            }
        }

        /** The defaults, reaching public addresses only. */
        public static Settings defaults(String userAgent) {
            return new Settings(DEFAULT_CONNECT_TIMEOUT, DEFAULT_ANSWER_TIMEOUT, false, DEFAULT_MAX_RESPONSE_BYTES,
                    userAgent);
        }

        /** These settings, with endpoints given {@code timeout} to answer. */
        public Settings answeringWithin(Duration timeout) {
            return new Settings(connectTimeout, timeout, allowPrivateTargets, maxResponseBytes, userAgent);
        }

        /** These settings, allowing private targets or not. */
        public Settings allowingPrivateTargets(boolean allow) {
            return new Settings(connectTimeout, answerTimeout, allow, maxResponseBytes, userAgent);
        }
    }

    private final Settings settings;
    private final WebhookTargets targets;
    private final Clock clock;
    private final HttpClient client;

    public HttpWebhookTransport(Settings settings) {
        this(settings, Clock.systemUTC(), InetAddress::getAllByName);
    }

    /** With the clock {@code Retry-After} dates are read against, and the resolver targets are checked with. */
    HttpWebhookTransport(Settings settings, Clock clock, WebhookTargets.Resolver resolver) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.targets = new WebhookTargets(settings.allowPrivateTargets(), resolver);
        // The client's default executor (a cached pool of daemon threads) is kept: the caller's delivery workers
        // bound how many exchanges run at once, and nothing has to be shut down with the transport.
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(settings.connectTimeout())
                .build();
    }

    @Override
    public Optional<String> refusal(URI url) {
        return targets.refusal(url);
    }

    @Override
    public Result deliver(URI url, List<String> secrets, Message message) {
        Optional<String> refused = refusal(url);
        if (refused.isPresent()) {
            return failed(refused.get());
        }
        byte[] body = CloudEvents.json(message.change());
        String id = message.change().eventId();
        long timestamp = message.timestamp().getEpochSecond();
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(url)
                    .timeout(settings.answerTimeout())
                    .header("Content-Type", CONTENT_TYPE)
                    .header("User-Agent", settings.userAgent())
                    .header("webhook-id", id)
                    .header("webhook-timestamp", Long.toString(timestamp))
                    .header("webhook-signature", StandardWebhookSignature.header(secrets, id, timestamp, body))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
        } catch (IllegalArgumentException e) {
            // a malformed secret, or a URL the client cannot send to: recorded on the delivery, not thrown at it
            return failed("not sent: " + e.getMessage());
        }
        return exchange(request, true);
    }

    /**
     * @param mayRetry whether a connection that closed before any byte of the answer is tried again at once, on a new
     *                 connection: that is a kept-alive connection the endpoint had closed meanwhile (servers close
     *                 idle ones whenever they like), a failure no endpoint meant, which should not cost a backoff; the
     *                 event may then arrive twice, which at-least-once delivery allows (receivers remove duplicates by
     *                 its id)
     */
    private Result exchange(HttpRequest request, boolean mayRetry) {
        BoundedBody body = new BoundedBody(settings.maxResponseBytes());
        CompletableFuture<HttpResponse<byte[]>> sending = client.sendAsync(request, body);
        // the client's own timeouts end the exchange first; this is the backstop for a body trickling in
        Duration budget = settings.connectTimeout().plus(settings.answerTimeout());
        try {
            HttpResponse<byte[]> response = sending.get(budget.toNanos(), TimeUnit.NANOSECONDS);
            return answer(response.statusCode(), response.headers(), response.body());
        } catch (TimeoutException e) {
            sending.cancel(true); // aborts the exchange and closes its connection
            // The status came and only the body was too slow: the endpoint answered, and its status counts.
            return body.head().map(head -> answer(head.statusCode(), head.headers(), new byte[0]))
                    .orElseGet(() -> failed("no answer within " + NetworkErrors.seconds(budget)));
        } catch (ExecutionException e) {
            if (body.head().isPresent()) {
                // the status came and the answer broke after it: the endpoint answered, and its status counts
                return answer(body.head().get().statusCode(), body.head().get().headers(), new byte[0]);
            }
            if (mayRetry && NetworkErrors.closedBeforeAnswer(e.getCause())) {
                return exchange(request, false);
            }
            return failed(NetworkErrors.describe(e.getCause(), settings));
        } catch (InterruptedException e) {
            sending.cancel(true);
            Thread.currentThread().interrupt();
            return failed("interrupted before the endpoint answered");
        }
    }

    private Result answer(int status, HttpHeaders headers, byte[] body) {
        if (status >= 200 && status <= 299) {
            return new Result.Delivered(status);
        }
        if (status == 410) {
            return new Result.Gone();
        }
        StringBuilder error = new StringBuilder("HTTP ").append(status);
        if (status >= 300 && status <= 399) {
            error.append(", a redirect");
            headers.firstValue("Location").ifPresent(to -> error.append(" to ").append(quoted(to, 100)));
            error.append(", not followed (change the webhook's URL)");
        }
        String quoted = quoted(new String(body, StandardCharsets.UTF_8), QUOTED_BODY);
        if (!quoted.isEmpty()) {
            error.append(": ").append(quoted);
        }
        return new Result.Failed(status, error.toString(),
                RetryAfter.parse(headers.firstValue("Retry-After"), clock.instant()));
    }

    /** {@code text} on one line, control characters made spaces, at most {@code max} characters. */
    private static String quoted(String text, int max) {
        String line = text.replaceAll("[\\p{Cntrl}\\s]+", " ").strip();
        return line.length() <= max ? line : line.substring(0, max - 1) + "…";
    }

    private static Result failed(String error) {
        return new Result.Failed(0, error, Optional.empty());
    }
}
