package dev.filestaging.domain.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.filestaging.domain.StagingService;
import dev.filestaging.domain.quota.Quotas;
import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.Principal;
import dev.filestaging.ports.Role;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.fixtures.InMemoryBlobStore;
import dev.filestaging.ports.fixtures.InMemoryCatalog;
import dev.filestaging.ports.in.UploadCommand;
import dev.filestaging.ports.in.UploadOutcome;
import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The quota across instances sharing a catalog: each instance's ledger knows its own commits at once and the others'
 * only when it reads the storage again (once a second); the catalog checks every commit against what all of them
 * committed, so together they never pass the quota.
 */
class CrossInstanceQuotaTest {
    private static final OrganizationId ACME = new OrganizationId("acme");
    private static final StagingArea AREA = StagingArea.defaultProjectOf(ACME);
    private static final Principal UPLOADER = new Principal(ACME, "sa-1", Set.of(Role.MANAGE_FILES));
    private static final long QUOTA = 1_000;

    private final InMemoryCatalog catalog = new InMemoryCatalog();
    private final InMemoryBlobStore blobs = new InMemoryBlobStore();

    private StagingService instance() {
        Quotas quotas = Quotas.uniform(QUOTA);
        CatalogStagingStore store = new CatalogStagingStore(catalog, blobs.sharingStorage(), Clock.systemUTC(),
                Duration.ofMinutes(1), area -> quotas.allocatedBytes(area.organization()));
        return new StagingService(store, quotas, Clock.systemUTC(), UUID::randomUUID,
                StagingService.contentWriterPool());
    }

    private static UploadOutcome upload(StagingService on, String name, int size) throws java.io.IOException {
        byte[] content = new byte[size];
        java.util.Arrays.fill(content, (byte) 'a');
        content[size - 1] = '\n';
        return on.upload(new UploadCommand(UPLOADER, AREA, name, null, null, null,
                new ByteArrayInputStream(content)));
    }

    @Test
    void an_instance_whose_figure_is_a_moment_old_is_refused_by_the_catalog_at_the_commit() throws Exception {
        StagingService first = instance();
        StagingService second = instance();
        assertThat(upload(second, "small.csv", 10)).isInstanceOf(UploadOutcome.Uploaded.class); // reads usage: 0

        assertThat(upload(first, "a.csv", 600)).isInstanceOf(UploadOutcome.Uploaded.class);
        UploadOutcome late = upload(second, "b.csv", 600); // its ledger still says 10 used

        assertThat(late).isInstanceOf(UploadOutcome.QuotaExceeded.class);
        assertThat(((UploadOutcome.QuotaExceeded) late).space().usedBytes()).as("figures read again").isEqualTo(610);
        assertThat(catalog.usage(AREA).usedBytes()).isEqualTo(610);
        assertThat(upload(second, "b.csv", 390)).as("the name is free, and what fits fits")
                .isInstanceOf(UploadOutcome.Uploaded.class);
        java.util.List<String> left = new java.util.ArrayList<>();
        blobs.enumerate(blob -> left.add(blob.blobId()));
        assertThat(left).as("the refused upload's blob is gone").hasSize(3);
    }

    @Test
    void resumable_uploads_reserved_on_two_instances_never_pass_the_quota_nor_the_bound_on_open_uploads_together()
            throws Exception {
        StagingService first = instance();
        StagingService second = instance();
        var onFirst = first.resumableUploads(Duration.ofHours(1), 1L << 30, 3);
        var onSecond = second.resumableUploads(Duration.ofHours(1), 1L << 30, 3);
        assertThat(create(onSecond, "warm.csv", 10)).isInstanceOf(
                dev.filestaging.ports.in.ResumeUploads.CreateOutcome.Created.class); // its figure: 10 held

        assertThat(create(onFirst, "a.csv", 600)).isInstanceOf(
                dev.filestaging.ports.in.ResumeUploads.CreateOutcome.Created.class);
        var late = create(onSecond, "b.csv", 600); // its figure still says 10

        assertThat(late).isInstanceOf(dev.filestaging.ports.in.ResumeUploads.CreateOutcome.Refused.class);
        assertThat(((dev.filestaging.ports.in.ResumeUploads.CreateOutcome.Refused) late).refusal())
                .isInstanceOf(UploadOutcome.QuotaExceeded.class);
        assertThat(create(onFirst, "c.csv", 1)).isInstanceOf(
                dev.filestaging.ports.in.ResumeUploads.CreateOutcome.Created.class);
        assertThat(create(onSecond, "d.csv", 1)).as("a fourth open upload")
                .isInstanceOf(dev.filestaging.ports.in.ResumeUploads.CreateOutcome.TooManyOpen.class);
        assertThat(catalog.usage(AREA).openUploads()).isEqualTo(3);
        assertThat(catalog.usage(AREA).heldBytes()).isEqualTo(611);
    }

    private static dev.filestaging.ports.in.ResumeUploads.CreateOutcome create(
            dev.filestaging.domain.resumable.ResumableUploadService on, String name, long length) {
        return on.create(new dev.filestaging.ports.in.UploadRequest(UPLOADER, AREA, name, null, null, null),
                java.util.OptionalLong.of(length), java.util.Map.of("filename", name));
    }

    @Test
    void creations_racing_on_two_instances_never_open_more_uploads_than_allowed() throws Exception {
        var instances = java.util.List.of(instance().resumableUploads(Duration.ofHours(1), 1L << 30, 4),
                instance().resumableUploads(Duration.ofHours(1), 1L << 30, 4));
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(16);
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        java.util.List<java.util.concurrent.Future<dev.filestaging.ports.in.ResumeUploads.CreateOutcome>> outcomes =
                new java.util.ArrayList<>();
        for (int i = 0; i < 32; i++) {
            var on = instances.get(i % 2);
            String name = "race-" + i + ".csv";
            outcomes.add(pool.submit(() -> {
                start.await();
                return create(on, name, 1);
            }));
        }
        start.countDown();
        int created = 0;
        for (var outcome : outcomes) {
            if (outcome.get() instanceof dev.filestaging.ports.in.ResumeUploads.CreateOutcome.Created) {
                created++;
            } else {
                assertThat(outcome.get()).isInstanceOf(
                        dev.filestaging.ports.in.ResumeUploads.CreateOutcome.TooManyOpen.class);
            }
        }
        pool.shutdown();
        assertThat(catalog.usage(AREA).openUploads()).isEqualTo(created).isLessThanOrEqualTo(4);
    }
}
