package dev.filestaging.app.metrics;

import dev.filestaging.domain.events.WebhookDispatcher;
import dev.filestaging.ports.events.DeliveryAttempt;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;

/**
 * Webhook deliveries: attempts per endpoint and outcome ({@code files_webhook_attempts_total}), and what is waiting:
 * events not yet received per endpoint ({@code files_webhook_pending_events}, from its first attempt on), and the age
 * of the oldest of all ({@code files_webhook_oldest_pending_seconds}). Endpoint ids are labels: an organization registers at most
 * {@link dev.filestaging.ports.in.ManageWebhooks#MAX_PER_ORGANIZATION}, and a removed endpoint's series stop growing.
 */
public final class EventMeters {
    private static final WebhookDispatcher.Pending NOTHING = new WebhookDispatcher.Pending(0, java.util.Optional.empty());

    private final MeterRegistry registry;
    private final WebhookDispatcher dispatcher;
    /** The endpoints whose pending gauge exists (registering one again makes Micrometer warn). */
    private final java.util.Set<String> gauged = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public EventMeters(MeterRegistry registry, WebhookDispatcher dispatcher) {
        this.registry = registry;
        this.dispatcher = dispatcher;
        Gauge.builder("files_webhook_oldest_pending_seconds", dispatcher, d -> d.pending().values().stream()
                        .flatMap(p -> p.oldest().stream()).min(Instant::compareTo)
                        .map(oldest -> (Instant.now().toEpochMilli() - oldest.toEpochMilli()) / 1000.0).orElse(0.0))
                .description("Age of the oldest event not yet delivered to a webhook that receives it")
                .register(registry);
    }

    /** Counts one attempt of the endpoint {@code webhookId}, and from then on shows what it has waiting. */
    public void attempted(String webhookId, DeliveryAttempt attempt) {
        Counter.builder("files_webhook_attempts_total")
                .description("Attempts to deliver an event to a webhook, by outcome")
                .tag("webhook", webhookId)
                .tag("outcome", attempt.outcome().name().toLowerCase(java.util.Locale.ROOT))
                .register(registry).increment();
        if (!gauged.add(webhookId)) {
            return;
        }
        Gauge.builder("files_webhook_pending_events", dispatcher,
                        d -> d.pending().getOrDefault(webhookId, NOTHING).events())
                .description("Events of its projects a webhook has not received yet, as of the last look")
                .tag("webhook", webhookId)
                .register(registry);
    }
}
