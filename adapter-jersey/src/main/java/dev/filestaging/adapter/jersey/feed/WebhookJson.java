package dev.filestaging.adapter.jersey.feed;

import dev.filestaging.adapter.jersey.events.CloudEvents;
import dev.filestaging.ports.events.Change;
import dev.filestaging.ports.events.DeliveryAttempt;
import dev.filestaging.ports.events.DeliveryProgress;
import dev.filestaging.ports.events.Webhook;
import dev.filestaging.ports.in.ManageWebhooks;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Endpoints, their progress and attempts as the API shows them; a secret only in the answer to a registration. */
final class WebhookJson {
    private WebhookJson() {
    }

    static Map<String, Object> of(Webhook webhook) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", webhook.id());
        json.put("url", webhook.url().toString());
        json.put("project", webhook.project().map(p -> p.value()).orElse(null));
        json.put("types", webhook.types().stream().map(Change.Kind::type).sorted().toList());
        json.put("pattern", webhook.names().pattern());
        json.put("created", webhook.created().toString());
        json.put("enabled", webhook.enabled());
        json.put("disabledReason", webhook.disabled().orElse(null));
        json.put("signingSecrets", webhook.secrets().size()); // how many sign (two during a rotation), never which
        return json;
    }

    static Map<String, Object> registered(ManageWebhooks.RegisterOutcome.Registered registered) {
        Map<String, Object> json = of(registered.webhook());
        json.put("secret", registered.secret());
        return json;
    }

    static Map<String, Object> state(ManageWebhooks.WebhookState state) {
        Map<String, Object> json = of(state.webhook());
        json.put("progress", state.progress().stream().map(WebhookJson::progress).toList());
        json.put("attempts", state.attempts().stream().map(WebhookJson::attempt).toList());
        return json;
    }

    static Map<String, Object> progress(DeliveryProgress progress) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("project", progress.area().project().value());
        json.put("deliveredSequence", progress.delivered());
        json.put("cursor", dev.filestaging.ports.events.FeedCursor.of(progress.area(), progress.delivered()));
        json.put("failedAttempts", progress.attempts());
        json.put("failingSince", progress.failingSince().map(Instant::toString).orElse(null));
        json.put("nextAttempt", progress.notBefore().map(Instant::toString).orElse(null));
        return json;
    }

    private static Map<String, Object> attempt(DeliveryAttempt attempt) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("project", attempt.area().project().value());
        json.put("sequence", CloudEvents.sequence(attempt.sequence()));
        json.put("eventId", attempt.eventId());
        json.put("at", attempt.at().toString());
        json.put("outcome", attempt.outcome().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        json.put("status", attempt.status());
        json.put("error", attempt.error().orElse(null));
        json.put("nextAttempt", attempt.nextAttempt().map(Instant::toString).orElse(null));
        return json;
    }
}
