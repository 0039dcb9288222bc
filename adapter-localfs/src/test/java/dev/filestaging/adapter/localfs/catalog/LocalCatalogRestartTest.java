package dev.filestaging.adapter.localfs.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.filestaging.ports.FileKey;
import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.out.UploadTicket;
import dev.filestaging.ports.out.blob.BlobCheckpoint;
import dev.filestaging.ports.out.catalog.Catalog;
import dev.filestaging.ports.out.catalog.LeaseOutcome;
import dev.filestaging.ports.out.catalog.Reservation;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the local catalog keeps across a restart of its one process, and what it lets go. */
class LocalCatalogRestartTest {
    private static final StagingArea AREA = StagingArea.defaultProjectOf(new OrganizationId("acme"));

    @TempDir
    Path directory;

    @Test
    void a_lease_of_a_process_that_stopped_is_free_at_the_next_start_and_the_upload_kept() throws Exception {
        Instant now = Instant.now();
        UploadTicket ticket = new UploadTicket("upload-restart-0001", new FileKey(AREA, "a.csv"), 10, Map.of(),
                dev.filestaging.ports.out.DeclaredContent.NOTHING,
                "sa-1", now, now.plusSeconds(3600));
        try (LocalCatalog first = LocalCatalog.open(directory.resolve("catalog.db"))) {
            assertThat(first.reserve(ticket, "blob-restart-000001", new BlobCheckpoint(0, ""), Catalog.NO_LIMIT,
                    Catalog.NO_LIMIT)).isInstanceOf(Reservation.Reserved.class);
            assertThat(first.lease(ticket.id(), Duration.ofMinutes(5))).isInstanceOf(LeaseOutcome.Leased.class);
            assertThat(first.lease(ticket.id(), Duration.ofMinutes(5))).isInstanceOf(LeaseOutcome.Busy.class);
            // stops without releasing it, as a killed process does
        }
        try (LocalCatalog second = LocalCatalog.open(directory.resolve("catalog.db"))) {
            assertThat(second.lease(ticket.id(), Duration.ofMinutes(5))).isInstanceOf(LeaseOutcome.Leased.class);
            assertThat(second.usage(AREA).heldBytes()).isEqualTo(10);
            assertThat(second.upload(ticket.id())).get().extracting(e -> e.ticket()).isEqualTo(ticket);
        }
    }
}
