package dev.filestaging.ports.in;

import dev.filestaging.ports.Principal;
import dev.filestaging.ports.ProjectId;
import dev.filestaging.ports.events.DeliveryAttempt;
import dev.filestaging.ports.events.DeliveryProgress;
import dev.filestaging.ports.events.Webhook;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The endpoints that receive an organization's events, for {@code ManageFiles}: registered, listed with how far
 * their deliveries got, replayed from a cursor, removed. Only the principal's organization's endpoints are ever seen.
 */
public interface ManageWebhooks {

    /** The most endpoints one organization may register. */
    int MAX_PER_ORGANIZATION = 25;

    /** Registers an endpoint; its secret is in the answer and never shown again. */
    RegisterOutcome register(Principal principal, WebhookRequest request);

    /** The organization's endpoints, oldest first. */
    List<Webhook> list(Principal principal);

    /** An endpoint of the organization with its progress per project and its latest attempts; empty if none. */
    Optional<WebhookState> get(Principal principal, String id);

    /**
     * Gives the endpoint a new signing secret, shown this once; deliveries are signed with it and with the one before
     * it (two signatures, as Standard Webhooks allows) until {@link #dropPreviousSecret} or the next rotation, so the
     * receiver can switch without losing a delivery. Empty when there is no such endpoint.
     */
    Optional<String> rotateSecret(Principal principal, String id);

    /** Stops signing with the secret before the current one. @return false when there is no such endpoint */
    boolean dropPreviousSecret(Principal principal, String id);

    /** Removes an endpoint of the organization. @return false when there was none */
    boolean remove(Principal principal, String id);

    /**
     * Delivers the events of {@code project} after {@code cursor} (a change-feed cursor; empty: from the oldest event
     * kept) to the endpoint again, in order.
     */
    ReplayOutcome replay(Principal principal, String id, ProjectId project, Optional<String> cursor);

    /**
     * @param project only this project's events; empty: every project's of the organization
     * @param types   event types ({@code file.committed}...); empty: all
     * @param pattern a name glob the events' names must match; null: all
     */
    record WebhookRequest(Optional<ProjectId> project, String url, Set<String> types, String pattern) {
        public WebhookRequest {
            Objects.requireNonNull(project, "project");
            Objects.requireNonNull(url, "url");
            types = Set.copyOf(types);
        }
    }

    /** An endpoint, how far it got in each project, and its latest attempts (newest first). */
    record WebhookState(Webhook webhook, List<DeliveryProgress> progress, List<DeliveryAttempt> attempts) {}

    /** What a registration came to. */
    sealed interface RegisterOutcome {
        /** @param secret its signing secret, {@code whsec_...}, shown this once */
        record Registered(Webhook webhook, String secret) implements RegisterOutcome {}

        /** The request cannot be registered; {@code reason} says why, for a person. */
        record Invalid(String reason) implements RegisterOutcome {}

        /** The organization has {@link #MAX_PER_ORGANIZATION} endpoints already. */
        record TooMany(int limit) implements RegisterOutcome {}
    }

    /** What a replay came to. */
    sealed interface ReplayOutcome {
        /** Deliveries go on from {@code progress}. */
        record Replaying(DeliveryProgress progress) implements ReplayOutcome {}

        record NotFound() implements ReplayOutcome {}

        record CursorInvalid(String reason) implements ReplayOutcome {}
    }
}
