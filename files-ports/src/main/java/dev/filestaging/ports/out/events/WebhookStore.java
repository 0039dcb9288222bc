package dev.filestaging.ports.out.events;

import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.events.DeliveryAttempt;
import dev.filestaging.ports.events.DeliveryProgress;
import dev.filestaging.ports.events.Webhook;
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
 *       the current one change nothing. A lease is current until another is granted on the same endpoint and area,
 *       or a {@link #rewind} or {@link #remove} ends it: its token is compared, never the time, so a lease that
 *       lapsed while nobody took it is still its holder's.</li>
 *   <li><b>Progress moves forward.</b> {@link #record} of a delivered or given-up event moves the area's progress
 *       to it (and clears its attempts), of a failed one counts the attempt; only {@link #rewind} moves it back
 *       (the rule is {@link DeliveryProgress#after}).</li>
 *   <li><b>Bounded log.</b> An endpoint keeps its latest {@link #KEPT_ATTEMPTS} attempts, no more.</li>
 *   <li><b>Exact values.</b> An endpoint and its attempts read back equal to what was written: instants to the
 *       nanosecond, secrets in their order, the URL as given.</li>
 *   <li>Failures of the store itself are {@link dev.filestaging.ports.out.StorageException}s; an unknown endpoint
 *       is never an exception (empty, false or nothing).</li>
 * </ul>
 */
public interface WebhookStore {

    /** The most attempts an endpoint's log keeps. */
    int KEPT_ATTEMPTS = 1000;

    /**
     * Registers {@code webhook}, whose id is new.
     *
     * @throws IllegalArgumentException an endpoint with this id is registered already (nothing changed)
     */
    void add(Webhook webhook);

    /** The endpoint with this id, or empty. */
    Optional<Webhook> find(String id);

    /**
     * The endpoints of {@code organization} (those of its projects too), oldest first: by {@link Webhook#created},
     * then by id (as Java compares strings) when two were created at the same instant.
     */
    List<Webhook> list(OrganizationId organization);

    /** Every endpoint that receives events (not disabled), of every organization, in the order of {@link #list}. */
    List<Webhook> enabled();

    /**
     * Removes the endpoint, its progress and its log; any lease on it is no longer current.
     *
     * @return false when there was none
     */
    boolean remove(String id);

    /**
     * Lets deliveries to a disabled endpoint go on (a registration adds it disabled, sets where its deliveries start,
     * then enables it: no delivery can start before that).
     *
     * @return false when there was no such endpoint
     */
    boolean enable(String id);

    /**
     * Replaces the endpoint's signing secrets (newest first; every delivery is signed with each of them).
     *
     * @return false when there was no such endpoint
     */
    boolean replaceSecrets(String id, List<String> secrets);

    /**
     * Stops deliveries to the endpoint, saying why (replacing an earlier reason): it stays listed, with the reason,
     * but is no longer {@link #enabled} and no lease on it is granted any more. A lease held already stays current,
     * so that its holder can still record the attempt that made it stop.
     *
     * @return false when there was none
     */
    boolean disable(String id, String reason);

    /**
     * Grants the caller the delivery of the endpoint's events of {@code area} for {@code duration}, unless another
     * process holds a lease that has not lapsed; with the progress so far ({@link DeliveryProgress#start} when
     * nothing was delivered yet). Empty when it is held, or the endpoint does not exist or is disabled.
     *
     * @throws IllegalArgumentException the endpoint does not receive the events of {@code area}
     *                                  ({@link Webhook#covers})
     */
    Optional<DeliveryLease> claim(String webhookId, StagingArea area, Duration duration);

    /** Extends the lease to {@code duration} from now. @return false when it is no longer the current one */
    boolean renew(DeliveryLease lease, Duration duration);

    /**
     * Gives the lease up: another process may claim at once. Never throws for a lease that is no longer the current
     * one, nor for a failure of the store (the lease then lapses at its term).
     */
    void release(DeliveryLease lease);

    /**
     * Records an attempt under the lease in the endpoint's log, and moves the progress as its outcome says
     * ({@link DeliveryProgress#after}): an attempt at an event at or before the progress is logged and moves nothing.
     *
     * @return the progress after it; empty, and nothing changed, when the lease is no longer the current one
     * @throws IllegalArgumentException the attempt is of another area than the lease
     */
    Optional<DeliveryProgress> record(DeliveryLease lease, DeliveryAttempt attempt);

    /**
     * Moves the progress under the lease past events the endpoint does not receive (other types, other names), up
     * to {@code through}, without an attempt in its log; a {@code through} at or before the progress moves nothing.
     *
     * @return false, and nothing changed, when the lease is no longer the current one
     */
    boolean skip(DeliveryLease lease, long through);

    /**
     * The endpoint's progress in every area it was granted a lease or rewound in (so also areas where nothing was
     * recorded yet, at {@link DeliveryProgress#start}), ordered by organization, then project; empty for an unknown
     * endpoint.
     */
    List<DeliveryProgress> progress(String webhookId);

    /**
     * The endpoint's latest attempts of every area, newest (last recorded) first, at most {@code limit}; empty for
     * an unknown endpoint.
     *
     * @throws IllegalArgumentException {@code limit} is less than 1
     */
    List<DeliveryAttempt> attempts(String webhookId, int limit);

    /**
     * Moves the endpoint's progress in {@code area} back (or forward) to {@code delivered}, clearing its failed
     * attempts ({@link DeliveryProgress#attempts}, {@code failingSince}, {@code notBefore}; the log keeps them), and
     * ends any lease on it: the holder's next {@link #record} or {@link #renew} changes nothing, and another process
     * may claim at once. The events after it are delivered again.
     *
     * @return false when the endpoint does not exist
     * @throws IllegalArgumentException {@code delivered} is negative, or the endpoint does not receive the events of
     *                                  {@code area}
     */
    boolean rewind(String webhookId, StagingArea area, long delivered);
}
