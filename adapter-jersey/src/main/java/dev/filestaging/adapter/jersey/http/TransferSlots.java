package dev.filestaging.adapter.jersey.http;

import dev.filestaging.adapter.jersey.problems.ApiProblem;
import dev.filestaging.adapter.jersey.problems.Problems;
import dev.filestaging.ports.OrganizationId;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * How many uploads and downloads may stream at once, and how they are shared. Each holds a worker thread for as long
 * as its client takes to send or read the bytes, so without a bound enough slow clients would hold every worker and
 * leave none for listings, gets, deletes or the health check. A transfer that finds no free slot is refused at once
 * (503 with {@code Retry-After}) instead of waiting on a thread.
 *
 * <p>Shared fairly: an organization may hold more than {@link #share()} of the slots only while no other one contends
 * (holds a slot, or was refused one in the last {@link #CONTENTION_WINDOW_SECONDS} seconds), so one organization's
 * clients, or anyone holding one of its signed links, cannot keep the others out for longer than its transfers last.
 * Reads through signed links, which need no credentials, also take one of the few {@link #linkCapacity()} link slots
 * (shared by organization the same way): however many sockets read links, they hold at most those.
 */
public final class TransferSlots {
    /** How long a refused organization counts as wanting slots: twice the {@code Retry-After} it was told. */
    static final long CONTENTION_WINDOW_SECONDS = 10;

    private final int capacity;
    private final int linkCapacity;
    private final LongSupplier nanoTime;
    private final Pool transfers = new Pool();
    private final Pool links = new Pool();

    public TransferSlots(int capacity) {
        this(capacity, System::nanoTime);
    }

    TransferSlots(int capacity, LongSupplier nanoTime) {
        if (capacity < 1) {
            throw new IllegalArgumentException("at least one transfer slot is needed");
        }
        this.capacity = capacity;
        this.linkCapacity = Math.min(capacity, Math.max(2, capacity / 4));
        this.nanoTime = nanoTime;
    }

    /** Takes a slot for an upload of {@code organization}, or throws the 503 to answer. */
    public Slot takeForUpload(OrganizationId organization) {
        return take(organization, false, Problems::tooManyUploads);
    }

    /** Takes a slot for an authenticated download of {@code organization}, or throws the 503 to answer. */
    public Slot takeForDownload(OrganizationId organization) {
        return take(organization, false, Problems::tooManyDownloads);
    }

    /** Takes a link slot and a transfer slot for a read of {@code organization}'s file through a signed link. */
    public Slot takeForLink(OrganizationId organization) {
        return take(organization, true, Problems::tooManyDownloads);
    }

    /** Transfers streaming now. */
    public synchronized int inUse() {
        return transfers.inUse;
    }

    /** The most slots an organization holds while others contend: half of them. */
    int share() {
        return Math.max(1, capacity / 2);
    }

    /** The most reads through signed links at once: a quarter of the slots, at least 2 (and at most all of them). */
    int linkCapacity() {
        return linkCapacity;
    }

    private synchronized Slot take(OrganizationId organization, boolean link,
                                   java.util.function.Function<String, ApiProblem> refusal) {
        long now = nanoTime.getAsLong();
        String busy = transfers.refusal(organization, capacity, share(), now, "transfer");
        if (busy == null && link) {
            busy = links.refusal(organization, linkCapacity, Math.max(1, linkCapacity / 2), now, "signed-link");
        }
        if (busy != null) {
            throw refusal.apply(busy);
        }
        transfers.take(organization);
        if (link) {
            links.take(organization);
        }
        return new Slot(organization, link);
    }

    private synchronized void release(OrganizationId organization, boolean link) {
        transfers.release(organization);
        if (link) {
            links.release(organization);
        }
    }

    /** The slots of one kind, by organization, and who was refused one lately. */
    private static final class Pool {
        private final Map<OrganizationId, Integer> held = new HashMap<>();
        private final Map<OrganizationId, Long> refusedAt = new HashMap<>();
        private int inUse;

        /** Why {@code organization} may not take a slot now (and then it counts as wanting one), or null. */
        String refusal(OrganizationId organization, int capacity, int share, long now, String kind) {
            refusedAt.values().removeIf(at -> now - at > TimeUnit.SECONDS.toNanos(CONTENTION_WINDOW_SECONDS));
            String busy = null;
            if (inUse >= capacity) {
                busy = "all " + capacity + " " + kind + " slots of this server are busy";
            } else if (held.getOrDefault(organization, 0) >= share && othersContend(organization)) {
                busy = "this organization holds its share of the " + kind + " slots (" + share + " of " + capacity
                        + ") while other organizations wait";
            }
            if (busy != null) {
                refusedAt.put(organization, now);
            }
            return busy;
        }

        private boolean othersContend(OrganizationId organization) {
            return held.keySet().stream().anyMatch(other -> !other.equals(organization))
                    || refusedAt.keySet().stream().anyMatch(other -> !other.equals(organization));
        }

        void take(OrganizationId organization) {
            held.merge(organization, 1, Integer::sum);
            inUse++;
        }

        void release(OrganizationId organization) {
            held.computeIfPresent(organization, (org, count) -> count == 1 ? null : count - 1);
            inUse--;
        }
    }

    /** A slot held until closed; closing again, from any thread, does nothing. */
    public final class Slot implements AutoCloseable {
        private final OrganizationId organization;
        private final boolean link;
        private final java.util.concurrent.atomic.AtomicBoolean released =
                new java.util.concurrent.atomic.AtomicBoolean();

        private Slot(OrganizationId organization, boolean link) {
            this.organization = organization;
            this.link = link;
        }

        @Override
        public void close() {
            if (released.compareAndSet(false, true)) {
                release(organization, link);
            }
        }
    }
}
