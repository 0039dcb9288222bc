package dev.filestaging.app.metrics;

import dev.filestaging.domain.events.WebhookDispatcher;
import dev.filestaging.ports.events.DeliveryAttempt;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;

/**
 * Webhook deliveries: attempts per endpoint and outcome ({@code files_webhook_attempts_total}), and what is waiting:
 * events not yet received per endpoint and in all ({@code files_webhook_pending_events}), and the age of the oldest
 * ({@code files_webhook_oldest_pending_seconds}). Endpoint ids are labels: an organization registers at most
 * {@link dev.filestaging.ports.in.ManageWebhooks#MAX_PER_ORGANIZATION}, and a removed endpoint's series stop growing.
 */
public final class EventMeters {
    private final MeterRegistry registry;

    public EventMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Counts one attempt of the endpoint {@code webhookId}. */
    public void attempted(String webhookId, DeliveryAttempt attempt) {
        Counter.builder("files_webhook_attempts_total")
                .description("Attempts to deliver an event to a webhook, by outcome")
                .tag("webhook", webhookId)
                .tag("outcome", attempt.outcome().name().toLowerCase(java.util.Locale.ROOT))
                .register(registry).increment();
    }

    /** Gauges of what the dispatcher found waiting at its last look. */
    public static void bindPending(MeterRegistry registry, WebhookDispatcher dispatcher) {
        Gauge.builder("files_webhook_pending_events", dispatcher,
                        d -> d.pending().values().stream().mapToLong(WebhookDispatcher.Pending::events).sum())
                .description("Events not yet delivered to the webhooks that receive them (every webhook)")
                .register(registry);
        Gauge.builder("files_webhook_oldest_pending_seconds", dispatcher, d -> d.pending().values().stream()
                        .flatMap(p -> p.oldest().stream()).min(Instant::compareTo)
                        .map(oldest -> (Instant.now().toEpochMilli() - oldest.toEpochMilli()) / 1000.0).orElse(0.0))
                .description("Age of the oldest event not yet delivered to a webhook that receives it")
                .register(registry);
    }
}
