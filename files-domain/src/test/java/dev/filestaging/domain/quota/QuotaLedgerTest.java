package dev.filestaging.domain.quota;

import static org.assertj.core.api.Assertions.assertThat;

import dev.filestaging.domain.fixtures.InMemoryStorage;
import dev.filestaging.domain.storage.PendingFile;
import dev.filestaging.domain.storage.StagingStore;
import dev.filestaging.ports.Digest;
import dev.filestaging.ports.FileKey;
import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.StoredFile;
import org.junit.jupiter.api.Test;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

class QuotaLedgerTest {

    private static final StagingArea AREA = StagingArea.defaultProjectOf(new OrganizationId("acme"));
    private static final long QUOTA = 1000;

    private final InMemoryStorage storage = new InMemoryStorage();
    private final AtomicInteger storageReads = new AtomicInteger();
    private final AtomicLong now = new AtomicLong();
    private final QuotaLedger ledger = new QuotaLedger(Quotas.uniform(QUOTA), countingReads(storage), now::get);

    @Test
    void the_space_a_refused_upload_is_told_counts_what_commits_in_progress_hold() {
        QuotaLedger.Account account = ledger.account(AREA);
        try (QuotaLedger.Reservation inFlight = account.reserve(600).orElseThrow()) {
            assertThat(account.reserve(500)).isEmpty();
            assertThat(account.usage().remainingBytes()).isEqualTo(400);
        }
        assertThat(account.usage().remainingBytes()).isEqualTo(1000);
    }

    @Test
    void reservations_that_fit_read_storage_at_most_once_per_refresh_interval() {
        QuotaLedger.Account account = ledger.account(AREA);
        int readsAtStart = storageReads.get();

        for (int i = 0; i < 5; i++) {
            account.reserve(10).orElseThrow().confirm();
        }
        assertThat(storageReads.get()).isEqualTo(readsAtStart);

        now.addAndGet(QuotaLedger.STORAGE_REFRESH.toNanos() + 1);
        account.reserve(10).orElseThrow().confirm();
        assertThat(storageReads.get()).isEqualTo(readsAtStart + 1);
    }

    @Test
    void what_another_process_committed_is_seen_after_the_refresh_interval() {
        QuotaLedger.Account account = ledger.account(AREA);
        commitElsewhere("other.bin", 900);

        assertThat(account.reserve(200)).as("within the interval, still by the old figure").isPresent();
        now.addAndGet(QuotaLedger.STORAGE_REFRESH.toNanos() + 1);

        assertThat(account.reserve(200)).as("900 elsewhere + 200 held here leave no room").isEmpty();
    }

    @Test
    void storage_is_read_again_before_refusing_so_space_freed_elsewhere_counts_at_once() {
        StoredFile other = commitElsewhere("other.bin", 900);
        QuotaLedger.Account account = ledger.account(AREA);
        assertThat(account.usage().usedBytes()).isEqualTo(900);

        storage.delete(other.key());

        assertThat(account.reserve(500)).as("no time has passed, yet the refusal looked again").isPresent();
    }

    private StoredFile commitElsewhere(String name, int size) {
        FileKey key = new FileKey(AREA, name);
        StoredFile file = new StoredFile(UUID.randomUUID(), key, size, null, null,
                Digest.md5("00000000000000000000000000000000"), "sa-other", Instant.EPOCH);
        try (PendingFile pending = storage.create(key)) {
            pending.write(new byte[size], 0, size);
            pending.commit(file);
        }
        return file;
    }

    private StagingStore countingReads(StagingStore store) {
        return (StagingStore) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {StagingStore.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("usedBytes")) {
                        storageReads.incrementAndGet();
                    }
                    return method.invoke(store, args);
                });
    }
}
