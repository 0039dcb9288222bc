package dev.filestaging.ports.out.events;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Sends one event to one endpoint, signed as the Standard Webhooks specification says ({@code webhook-id},
 * {@code webhook-timestamp}, {@code webhook-signature}). Bounded in time (connecting and answering) and in what it reads
 * of the answer; follows no redirect; refuses a target whose address the deployment does not allow (loopback,
 * link-local, private) without connecting.
 */
public interface WebhookTransport {

    /** Delivers {@code message}; never throws for what the endpoint or the network does. */
    Result deliver(URI url, List<String> secrets, Message message);

    /**
     * Whether {@code url} may be an endpoint at all (scheme, host, and its addresses where the deployment forbids
     * private ones): empty when it may, else why not.
     */
    Optional<String> refusal(URI url);

    /**
     * An event to send: its change-log entry, sent as a CloudEvent (structured JSON) whose {@code id} is the entry's
     * {@link dev.filestaging.ports.events.Change#eventId} and {@code webhook-id} too.
     *
     * @param timestamp the {@code webhook-timestamp}: when this attempt is made
     */
    record Message(dev.filestaging.ports.events.Change change, Instant timestamp) {
        public Message {
            Objects.requireNonNull(change, "change");
            Objects.requireNonNull(timestamp, "timestamp");
        }
    }

    /** What came of a delivery. */
    sealed interface Result {
        /** A 2xx answer. */
        record Delivered(int status) implements Result {}

        /** 410 Gone: the endpoint asks to receive nothing more. */
        record Gone() implements Result {}

        /**
         * Anything else: another status (0 for none), a timeout, a refused or unreachable target.
         *
         * @param retryAfter what the endpoint asked for ({@code Retry-After} with 429 or 503), if it did
         */
        record Failed(int status, String error, Optional<Duration> retryAfter) implements Result {}
    }
}
