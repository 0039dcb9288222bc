package dev.filestaging.ports.out.events;

import dev.filestaging.ports.events.DeliveryProgress;
import java.util.Objects;

/**
 * The right to deliver one endpoint's events of one area, held by one process at a time (a fencing token, as an
 * upload's lease): so that events are delivered in order even when a process dies and another takes over.
 *
 * @param progress where deliveries stood when it was granted
 */
public record DeliveryLease(String webhookId, long token, DeliveryProgress progress) {
    public DeliveryLease {
        Objects.requireNonNull(webhookId, "webhookId");
        Objects.requireNonNull(progress, "progress");
    }
}
