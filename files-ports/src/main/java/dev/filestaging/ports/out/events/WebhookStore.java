package dev.filestaging.ports.out.events;

import dev.filestaging.ports.events.Webhook;
import dev.filestaging.ports.events.DeliveryAttempt;
import dev.filestaging.ports.events.DeliveryProgress;
import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.StagingArea;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The registered endpoints and how far each got in each area's events: kept with the catalog, so that several
 * processes sharing it deliver each event once at a time and in order.
 *
 * <p>Contract (checked by {@code WebhookStoreContractTest} in this module's test-jar, on every implementation):
 * <ul>
 *   <li>Every method is one atomic step, visible to every process sharing the store once it returns.</li>
 *   <li><b>One deliverer.</b> Of an endpoint's events of one area, one process at a time holds the
 *       {@link DeliveryLease}; it lapses when not renewed within the time it was granted for, and only then may
 *       another process take it. {@link #record}, {@link #renew} and {@link #release} under a lease that is no longer
 *       the current one change nothing.</li>
 *   <li><b>Progress moves forward.</b> {@link #record} of a delivered or given-up event moves the area's progress
 *       to it (and clears its attempts), of a failed one counts the attempt; only {@link #rewind} moves it back.</li>
 *   <li><b>Bounded log.</b> An endpoint keeps its latest {@link #KEPT_ATTEMPTS} attempts, no more.</li>
 *   <li>Failures of the store itself are {@link dev.filestaging.ports.out.StorageException}s.</li>
 * </ul>
 */
public interface WebhookStore {

    /** The most attempts an endpoint's log keeps. */
    int KEPT_ATTEMPTS = 1000;

    /** Registers {@code webhook}, whose id is new. */
    void add(Webhook webhook);

    /** The endpoint with this id, or empty. */
    Optional<Webhook> find(String id);

    /** The endpoints of {@code organization} (those of its projects too), oldest first. */
    List<Webhook> list(OrganizationId organization);

    /** Every endpoint that receives events (not disabled), of every organization. */
    List<Webhook> enabled();

    /** Removes the endpoint, its progress and its log. @return false when there was none */
    boolean remove(String id);

    /** Stops deliveries to the endpoint, saying why. @return false when there was none */
    boolean disable(String id, String reason);

    /**
     * Grants the caller the delivery of the endpoint's events of {@code area} for {@code duration}, unless another
     * process holds a lease that has not lapsed; with the progress so far ({@link DeliveryProgress#start} when
     * nothing was delivered yet). Empty when it is held, or the endpoint does not exist.
     */
    Optional<DeliveryLease> claim(String webhookId, StagingArea area, Duration duration);

    /** Extends the lease to {@code duration} from now. @return false when it is no longer the current one */
    boolean renew(DeliveryLease lease, Duration duration);

    /** Gives the lease up. Never throws for a lease that is no longer the current one. */
    void release(DeliveryLease lease);

    /**
     * Records an attempt under the lease, and moves the progress as its outcome says.
     *
     * @return the progress after it; empty, and nothing changed, when the lease is no longer the current one
     */
    Optional<DeliveryProgress> record(DeliveryLease lease, DeliveryAttempt attempt);

    /**
     * Moves the progress under the lease past events the endpoint does not receive (other types, other names, before
     * its registration), up to {@code through}, without an attempt in its log.
     *
     * @return false, and nothing changed, when the lease is no longer the current one
     */
    boolean skip(DeliveryLease lease, long through);

    /** The endpoint's progress in every area it has delivered to or tried. */
    List<DeliveryProgress> progress(String webhookId);

    /** The endpoint's latest attempts, newest first, at most {@code limit}. */
    List<DeliveryAttempt> attempts(String webhookId, int limit);

    /**
     * Moves the endpoint's progress in {@code area} back (or forward) to {@code delivered}, clearing its attempts,
     * and ends any lease on it (the holder's next {@link #record} changes nothing): the events after it are delivered
     * again.
     *
     * @return false when the endpoint does not exist
     */
    boolean rewind(String webhookId, StagingArea area, long delivered);
}
