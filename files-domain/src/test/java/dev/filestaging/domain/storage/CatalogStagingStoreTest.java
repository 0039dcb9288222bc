package dev.filestaging.domain.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.filestaging.domain.contract.StagingStoreContractTest;
import dev.filestaging.domain.storage.StagingStore;
import dev.filestaging.ports.fixtures.InMemoryBlobStore;
import dev.filestaging.ports.fixtures.InMemoryCatalog;
import dev.filestaging.ports.fixtures.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The store contract, resumable uploads included, on a catalog and a blob store (both in memory). */
class CatalogStagingStoreTest extends StagingStoreContractTest {
    private static final Duration LEASE = Duration.ofMinutes(1);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T10:00:00Z"));
    private InMemoryCatalog catalog;
    private InMemoryBlobStore blobs;

    @Override
    protected StagingStore newStore() {
        catalog = new InMemoryCatalog(clock);
        blobs = new InMemoryBlobStore();
        return new CatalogStagingStore(catalog, blobs, clock, LEASE);
    }

    /**
     * Another process after this one died: the same catalog and blob storage, nothing of the first one's memory, and
     * the dead writers' leases lapsed (a restart takes at least that long to matter: until then the upload is busy).
     */
    @Override
    protected StagingStore reopen(StagingStore current) {
        clock.advance(LEASE.plusSeconds(1));
        return new CatalogStagingStore(catalog, blobs.sharingStorage(), clock, LEASE);
    }

    /** Every blob is a staged file's or an open upload's. */
    @Override
    protected void assertNothingPendingLeftBehind() {
        List<String> held = new ArrayList<>();
        blobs.enumerate(blob -> held.add(blob.blobId()));
        assertThat(catalog.referenced(held)).as("blobs the catalog refers to").hasSameSizeAs(held);
    }

    @org.junit.jupiter.api.Test
    void a_writer_whose_lapsed_lease_was_taken_over_records_nothing_and_is_told_to_ask_again() throws Exception {
        var uploads = store.uploads();
        var key = new dev.filestaging.ports.FileKey(AREA, "slow.csv");
        uploads.reserve(new dev.filestaging.ports.out.UploadTicket("upload-000000000042", key, 10,
                java.util.Map.of(), dev.filestaging.ports.out.DeclaredContent.NOTHING, "sa-1", clock.instant(), clock.instant().plus(Duration.ofDays(1))));
        var slow = ((dev.filestaging.domain.storage.ResumableUploads.Opened.Writing)
                uploads.openForWriting("upload-000000000042")).file();
        slow.write(bytes("123"), 0, 3);
        clock.advance(LEASE.plusSeconds(1)); // the slow writer's client stalled past its lease

        try (var other = ((dev.filestaging.domain.storage.ResumableUploads.Opened.Writing)
                uploads.openForWriting("upload-000000000042")).file()) {
            other.write(bytes("abcd"), 0, 4);
            assertThat(other.sync()).isEqualTo(4);
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(slow::sync)
                .isInstanceOf(dev.filestaging.ports.out.StorageException.StorageUnavailableException.class)
                .hasMessageContaining("taken over");
        slow.close();
        assertThat(uploads.status("upload-000000000042").orElseThrow().offset()).isEqualTo(4);
        try (var again = ((dev.filestaging.domain.storage.ResumableUploads.Opened.Writing)
                uploads.openForWriting("upload-000000000042")).file()) {
            assertThat(again.readDurable().readAllBytes()).isEqualTo(bytes("abcd"));
        }
    }
}
