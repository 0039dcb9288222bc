package dev.filestaging.adapter.localfs.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.filestaging.ports.contract.WebhookStoreContractTest;
import dev.filestaging.ports.events.Webhook;
import dev.filestaging.ports.out.events.DeliveryLease;
import dev.filestaging.ports.out.events.WebhookStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The webhook store contract on the local catalog's SQLite database. One process uses a data directory at a time, so
 * "another process on the same storage" is the same store, as for the catalog; what a process that opens the
 * catalog after another finds is checked here too.
 */
class LocalWebhookStoreContractTest extends WebhookStoreContractTest {
    @TempDir
    Path directory;
    private final List<LocalCatalog> catalogs = new ArrayList<>();

    @Override
    protected WebhookStore newStore() {
        return open().webhooks();
    }

    @Override
    protected WebhookStore sameStorage() {
        return catalogs.get(catalogs.size() - 1).webhooks();
    }

    private LocalCatalog open() {
        LocalCatalog catalog = LocalCatalog.open(directory.resolve("catalog.db"));
        catalogs.add(catalog);
        return catalog;
    }

    @AfterEach
    void closeCatalogs() {
        catalogs.forEach(LocalCatalog::close);
    }

    @Test
    void the_next_process_finds_everything_and_may_claim_at_once_what_the_stopped_one_held() {
        Webhook webhook = added();
        DeliveryLease held = claimed(store, webhook, AREA, LONG_LEASE);
        store.record(held, delivered(AREA, 3));
        catalogs.remove(0).close();

        WebhookStore next = open().webhooks();

        assertThat(next.find(webhook.id())).contains(webhook);
        assertThat(next.attempts(webhook.id(), 10)).containsExactly(delivered(AREA, 3));
        DeliveryLease taken = claimed(next, webhook, AREA, LONG_LEASE);
        assertThat(taken.progress()).isEqualTo(progress(AREA, 3));
        assertThat(taken.token()).isNotEqualTo(held.token());
        assertThat(next.record(held, delivered(AREA, 4))).isEmpty();
    }
}
