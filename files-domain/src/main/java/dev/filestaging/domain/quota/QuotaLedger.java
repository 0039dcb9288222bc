package dev.filestaging.domain.quota;

import dev.filestaging.domain.storage.StagingStore;
import dev.filestaging.ports.SpaceUsage;
import dev.filestaging.ports.StagingArea;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;

/**
 * Keeps each staging area's used bytes, and the bytes reserved by uploads that are committing, so that concurrent
 * uploads of this process can never together exceed the quota.
 *
 * <p>Storage may be shared with other processes (several instances on one bucket), so the used figure is read from
 * storage again when it is older than {@link #STORAGE_REFRESH}, and always before an upload is refused for lack of
 * space; in between, this process's own commits keep it current (its deletes are seen at the next read: the figure
 * may overstate the used bytes for a while, never understate them). What another process committed since
 * that read is not seen: across processes the quota can be overshot by at most the uploads the others commit within
 * that window. Reading at every reservation instead would make the window only as long as a commit, but on S3 the
 * read lists the whole area under the account's lock: it capped 16 concurrent small uploads at 17 per second.
 */
public final class QuotaLedger {

    /** How old the used figure read from storage may be when a reservation fits by it. */
    public static final Duration STORAGE_REFRESH = Duration.ofSeconds(1);

    private final Quotas quotas;
    private final StagingStore store;
    private final LongSupplier nanoTime;
    private final ConcurrentMap<StagingArea, Account> accounts = new ConcurrentHashMap<>();

    public QuotaLedger(Quotas quotas, StagingStore store, LongSupplier nanoTime) {
        this.quotas = quotas;
        this.store = store;
        this.nanoTime = nanoTime;
    }

    public Account account(StagingArea area) {
        return accounts.computeIfAbsent(area,
                a -> new Account(quotas.allocatedBytes(a.organization()), () -> usedOrHeld(a), nanoTime));
    }

    /** Files' bytes, and the space open resumable uploads hold for theirs. */
    private long usedOrHeld(StagingArea area) {
        return store.usedBytes(area) + store.uploads().heldBytes(area);
    }

    /** The room an upload may take in its area's quota. */
    public interface Space {
        /** Whether the upload, at {@code bytes} in all, could still fit. */
        boolean fits(long bytes);

        /** The space as a refused upload should be told it. */
        SpaceUsage usage();

        /** Holds {@code bytes} for the upload's commit, or empty when they do not fit. */
        Optional<Reservation> reserve(long bytes);

        /**
         * Reads the figure from storage now: after storage refused a commit for lack of space, which it can only do
         * when it counts what other processes committed since the figure in hand was read.
         */
        void reread();
    }

    /** One area's figures; every method is atomic with respect to the others. */
    public static final class Account implements Space {
        private final long allocated;
        private final LongSupplier usedInStorage;
        private final LongSupplier nanoTime;
        private long used;
        private long reserved;
        private long readAt;
        /**
         * The bytes this process ever added to storage and to {@link #used} (commits, space held by new resumable
         * uploads): a storage read that began before one of them and ended after it may have missed them.
         */
        private long added;

        private Account(long allocated, LongSupplier usedInStorage, LongSupplier nanoTime) {
            this.allocated = allocated;
            this.usedInStorage = usedInStorage;
            this.nanoTime = nanoTime;
            remember(usedInStorage.getAsLong());
        }

        /** Space not used nor reserved by a commit in progress, by the figure in hand. */
        synchronized long available() {
            return Math.max(0, room());
        }

        /**
         * Whether {@code bytes} could still fit. Cheap while they do by a figure read within
         * {@link #STORAGE_REFRESH}; when it is older (another process sharing the storage may have taken space since:
         * a model-based test on two instances caught a late Upload-Length admitted by a figure minutes old), and
         * before answering no (another process may have freed space), reads storage again. The read is made outside the lock (on S3 it lists
         * the area), so a commit of this process may settle meanwhile: the read may then predate that commit, so what
         * this process added during the read is counted on top of it (twice if the read saw it too, which only
         * overstates the figure until the next read; never understates it).
         */
        @Override
        public boolean fits(long bytes) {
            long addedBefore;
            synchronized (this) {
                if (bytes <= room() && !stale()) {
                    return true;
                }
                addedBefore = added;
            }
            long fresh = usedInStorage.getAsLong();
            synchronized (this) {
                remember(fresh + (added - addedBefore));
                return bytes <= room();
            }
        }

        /** The area's quota. */
        public long allocated() {
            return allocated;
        }

        @Override
        public synchronized void reread() {
            remember(usedInStorage.getAsLong());
        }

        /**
         * The space as a refused upload should be told it: what commits in progress hold counts as used, since it is
         * not left for this upload (uploads racing for the last bytes each learn what the others left them).
         */
        @Override
        public synchronized SpaceUsage usage() {
            return new SpaceUsage(allocated, Math.min(allocated, used + reserved));
        }

        /**
         * Holds {@code bytes} for a commit, or empty when they do not fit. Reads storage when the figure in hand is
         * older than {@link #STORAGE_REFRESH}, and before refusing (once: a figure just read is not read again).
         */
        @Override
        public synchronized Optional<Reservation> reserve(long bytes) {
            // Read under the lock, so that no commit of this process settles between the read and the check.
            if (stale() || bytes > room()) {
                remember(usedInStorage.getAsLong());
            }
            if (bytes > room()) {
                return Optional.empty();
            }
            reserved += bytes;
            return Optional.of(new Reservation(this, bytes));
        }

        /** Whether the figure in hand was read from storage longer than {@link #STORAGE_REFRESH} ago. */
        private synchronized boolean stale() {
            long sinceRead = nanoTime.getAsLong() - readAt;
            return sinceRead > STORAGE_REFRESH.toNanos() || sinceRead < 0; // < 0: the clock was set back
        }

        /** What is left by the figures in hand; negative when another process overshot the quota. */
        private synchronized long room() {
            return allocated - used - reserved;
        }

        private synchronized void remember(long usedInStorageNow) {
            used = usedInStorageNow;
            readAt = nanoTime.getAsLong();
        }

        /**
         * Hears that {@code bytes} left storage (a delete, an upload ended). The figure in hand is deliberately not
         * lowered: storage no longer holds them when this is called, so a read made since may already not count
         * them, and lowering it again would let uploads exceed the quota. The figure stays high (never too low)
         * until the next read, which every refusal makes first, so the space is usable at once.
         */
        public void freed(long bytes) {
            // nothing to do: see above
        }

        /** Counts what a new resumable upload holds at once, before storage is read again. */
        public synchronized void held(long bytes) {
            used += bytes;
            added += bytes;
        }

        /**
         * The space of an upload that already holds {@code held} bytes (a resumable upload's declared length, or what
         * it holds so far): those are counted as used already, so only what goes beyond them must fit.
         */
        public Space excluding(long held) {
            Account account = this;
            return new Space() {
                @Override
                public boolean fits(long bytes) {
                    return account.fits(Math.max(0, bytes - held));
                }

                @Override
                public SpaceUsage usage() {
                    return account.usage();
                }

                @Override
                public Optional<Reservation> reserve(long bytes) {
                    return account.reserve(Math.max(0, bytes - held));
                }

                @Override
                public void reread() {
                    account.reread();
                }
            };
        }

        private synchronized void settle(long bytes, boolean committed) {
            reserved -= bytes;
            if (committed) {
                used += bytes;
                added += bytes;
            }
        }
    }

    /** Space held for one commit: confirmed when the commit succeeded, released otherwise. Settles once. */
    public static final class Reservation implements AutoCloseable {
        private final Account account;
        private final long bytes;
        private boolean settled;

        private Reservation(Account account, long bytes) {
            this.account = account;
            this.bytes = bytes;
        }

        public void confirm() {
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
