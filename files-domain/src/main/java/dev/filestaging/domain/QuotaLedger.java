package dev.filestaging.domain;

import dev.filestaging.ports.SpaceUsage;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.out.StagingStore;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Keeps each staging area's used bytes, and the bytes reserved by uploads that are committing, so that concurrent
 * uploads can never together exceed the quota. An area's figure is read from storage the first time it is needed;
 * from then on every commit and delete made through this process keeps it current.
 */
final class QuotaLedger {

    private final Quotas quotas;
    private final StagingStore store;
    private final ConcurrentMap<StagingArea, Account> accounts = new ConcurrentHashMap<>();

    QuotaLedger(Quotas quotas, StagingStore store) {
        this.quotas = quotas;
        this.store = store;
    }

    Account account(StagingArea area) {
        return accounts.computeIfAbsent(area,
                a -> new Account(quotas.allocatedBytes(a.organization()), store.usedBytes(a)));
    }

    /** One area's figures; every method is atomic with respect to the others. */
    static final class Account {
        private final long allocated;
        private long used;
        private long reserved;

        private Account(long allocated, long used) {
            this.allocated = allocated;
            this.used = used;
        }

        /** Space not used nor reserved by a commit in progress. */
        synchronized long available() {
            return Math.max(0, allocated - used - reserved);
        }

        synchronized SpaceUsage usage() {
            return new SpaceUsage(allocated, used);
        }

        /** Holds {@code bytes} for a commit, or empty when they do not fit. */
        synchronized Optional<Reservation> reserve(long bytes) {
            if (bytes > allocated - used - reserved) {
                return Optional.empty();
            }
            reserved += bytes;
            return Optional.of(new Reservation(this, bytes));
        }

        synchronized void freed(long bytes) {
            used = Math.max(0, used - bytes);
        }

        private synchronized void settle(long bytes, boolean committed) {
            reserved -= bytes;
            if (committed) {
                used += bytes;
            }
        }
    }

    /** Space held for one commit: confirmed when the commit succeeded, released otherwise. Settles once. */
    static final class Reservation implements AutoCloseable {
        private final Account account;
        private final long bytes;
        private boolean settled;

        private Reservation(Account account, long bytes) {
            this.account = account;
            this.bytes = bytes;
        }

        void confirm() {
            settle(true);
        }

        /** Releases the space unless it was confirmed. */
        @Override
        public void close() {
            settle(false);
        }

        private void settle(boolean committed) {
            if (!settled) {
                settled = true;
                account.settle(bytes, committed);
            }
        }
    }
}
