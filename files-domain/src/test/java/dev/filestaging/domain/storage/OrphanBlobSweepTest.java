package dev.filestaging.domain.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.filestaging.ports.FileKey;
import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.fixtures.InMemoryBlobStore;
import dev.filestaging.ports.fixtures.InMemoryCatalog;
import dev.filestaging.ports.fixtures.MutableClock;
import dev.filestaging.ports.out.UploadTicket;
import dev.filestaging.ports.out.blob.BlobWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OrphanBlobSweepTest {
    private static final StagingArea AREA = StagingArea.defaultProjectOf(new OrganizationId("acme"));

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T10:00:00Z"));
    private final InMemoryCatalog catalog = new InMemoryCatalog(clock);
    private final InMemoryBlobStore blobs = new InMemoryBlobStore(new InMemoryBlobStore.Storage(), clock);
    private final CatalogStagingStore store = new CatalogStagingStore(catalog, blobs, clock, Duration.ofMinutes(1));

    @Test
    void only_old_blobs_that_no_file_or_open_upload_has_are_deleted() throws Exception {
        stage("kept.csv");
        var uploads = store.uploads();
        uploads.reserve(new UploadTicket("upload-000000000001", new FileKey(AREA, "open.csv"), 10, Map.of(),
                dev.filestaging.ports.out.DeclaredContent.NOTHING, "sa-1",
                clock.instant(), clock.instant().plus(Duration.ofDays(3))));
        try (var open = ((dev.filestaging.domain.storage.ResumableUploads.Opened.Writing)
                uploads.openForWriting("upload-000000000001")).file()) {
            open.write(new byte[] {1, 2, 3}, 0, 3);
            open.sync(); // a blob of an open upload, untouched for a day, is kept
        }
        String orphan = finishedBlob();
        clock.advance(Duration.ofHours(25));
        String young = finishedBlob();
        for (int i = 0; i < 1_500; i++) {
            finishedBlob(); // more than one look-up's worth, all young
        }

        assertThat(store.sweepOrphanBlobs()).isEqualTo(1);

        List<String> left = new ArrayList<>();
        blobs.enumerate(blob -> left.add(blob.blobId()));
        assertThat(left).doesNotContain(orphan).contains(young).hasSize(2 + 1 + 1_500);
        assertThat(store.find(new FileKey(AREA, "kept.csv"))).isPresent();
        assertThat(store.open(new FileKey(AREA, "kept.csv"), dev.filestaging.ports.ByteRange.WHOLE)).isPresent();

        clock.advance(Duration.ofHours(25));
        assertThat(store.sweepOrphanBlobs()).as("1,501 young orphans, now old, in two look-ups").isEqualTo(1_501);
        assertThat(store.sweeps()).singleElement().satisfies(tally -> {
            assertThat(tally.sweep()).isEqualTo("orphaned-blobs");
            assertThat(tally.runs()).isEqualTo(2);
            assertThat(tally.removed()).isEqualTo(1_502);
        });
    }

    private void stage(String name) {
        byte[] bytes = "a,b\n1,2\n".getBytes();
        try (var pending = store.create(new FileKey(AREA, name))) {
            pending.write(bytes, 0, bytes.length);
            pending.commit(new dev.filestaging.ports.StoredFile(java.util.UUID.randomUUID(), new FileKey(AREA, name),
                    bytes.length, null, null, dev.filestaging.ports.Digest.md5("00000000000000000000000000000000"),
                    "sa-1", clock.instant()));
        }
    }

    private String finishedBlob() {
        try (BlobWriter writer = blobs.create(BlobIds.next())) {
            writer.write(new byte[] {1, 2, 3}, 0, 3);
            writer.finish();
            return writer.blobId();
        }
    }
}
