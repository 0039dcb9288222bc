package dev.filestaging.adapter.localfs.catalog;

import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.events.DeliveryAttempt;
import dev.filestaging.ports.events.DeliveryProgress;
import dev.filestaging.ports.events.Webhook;
import dev.filestaging.ports.out.events.DeliveryLease;
import dev.filestaging.ports.out.events.WebhookStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The webhooks of the local catalog, in its SQLite database: the endpoints, their progress per area and their logs
 * (see {@code V3__webhooks.sql}).
 *
 * <p>Each changing method is one IMMEDIATE transaction, run one at a time by {@link SqliteDatabase}: a claim's check
 * of the lease and its grant, and a record's check of the token, its progress, its log entry and the trim of the
 * log, are decided and written together. Leases are kept in the table (until when, on this process's clock) rather
 * than in memory as the catalog's upload leases are: the cost is a write per claim and renewal, a few a minute per
 * endpoint and area, and every instance of the store then sees the same leases. A process opening the catalog
 * releases them all ({@link #opened}): one process uses the catalog, so whoever held them is gone.
 *
 * <p>An endpoint's organization and project never change, so whether it covers an area is checked before the
 * transaction: a refused argument never rolls one back.
 */
final class LocalWebhookStore implements WebhookStore {
    private final SqliteDatabase database;
    private final Clock clock;

    LocalWebhookStore(SqliteDatabase database, Clock clock) {
        this.database = Objects.requireNonNull(database, "database");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The store of a process that has just opened the catalog: the leases of the one before it are released. */
    static LocalWebhookStore opened(SqliteDatabase database, Clock clock) {
        database.transaction("releasing the delivery leases of a stopped process", c -> {
            ProgressTable.releaseAll(c);
            return null;
        });
        return new LocalWebhookStore(database, clock);
    }

    @Override
    public void add(Webhook webhook) {
        Objects.requireNonNull(webhook, "webhook");
        if (!database.transaction("registering a webhook", c -> WebhookTable.insert(c, webhook))) {
            throw new IllegalArgumentException("a webhook " + webhook.id() + " is registered already");
        }
    }

    @Override
    public Optional<Webhook> find(String id) {
        return database.read("finding a webhook", c -> WebhookTable.find(c, id));
    }

    @Override
    public List<Webhook> list(OrganizationId organization) {
        return database.read("listing an organization's webhooks", c -> WebhookTable.of(c, organization));
    }

    @Override
    public List<Webhook> enabled() {
        return database.read("listing the enabled webhooks", WebhookTable::enabled);
    }

    @Override
    public boolean remove(String id) {
        return database.transaction("removing a webhook", c -> WebhookTable.delete(c, id));
    }

    @Override
    public boolean enable(String id) {
        return database.transaction("enabling a webhook", c -> WebhookTable.enable(c, id));
    }

    @Override
    public boolean replaceSecrets(String id, List<String> secrets) {
        List<String> checked = List.copyOf(secrets);
        if (checked.isEmpty()) {
            throw new IllegalArgumentException("a webhook has at least one secret");
        }
        return database.transaction("replacing a webhook's secrets", c -> WebhookTable.replaceSecrets(c, id, checked));
    }

    @Override
    public boolean disable(String id, String reason) {
        Objects.requireNonNull(reason, "reason");
        return database.transaction("disabling a webhook", c -> WebhookTable.disable(c, id, reason));
    }

    @Override
    public Optional<DeliveryLease> claim(String webhookId, StagingArea area, Duration duration) {
        Optional<Webhook> webhook = find(webhookId);
        if (webhook.isEmpty()) {
            return Optional.empty();
        }
        requireCovered(webhook.get(), area);
        return database.transaction("claiming a webhook's deliveries", c -> {
            if (!WebhookTable.isEnabled(c, webhookId)) {
                return Optional.empty();
            }
            long now = clock.millis();
            Optional<ProgressTable.Row> row = ProgressTable.find(c, webhookId, area);
            if (row.isPresent() && row.get().heldAt(now)) {
                return Optional.empty();
            }
            long token = ProgressTable.nextToken(c);
            ProgressTable.grant(c, webhookId, area, token, now + duration.toMillis());
            return Optional.of(new DeliveryLease(webhookId, token,
                    row.map(ProgressTable.Row::progress).orElse(DeliveryProgress.start(area))));
        });
    }

    private static void requireCovered(Webhook webhook, StagingArea area) {
        if (!webhook.covers(area)) {
            throw new IllegalArgumentException("webhook " + webhook.id() + " does not receive the events of " + area);
        }
    }

    @Override
    public boolean renew(DeliveryLease lease, Duration duration) {
        return database.transaction("renewing a delivery lease", c -> ProgressTable.renew(c, lease.webhookId(),
                lease.progress().area(), lease.token(), clock.millis() + duration.toMillis()));
    }

    @Override
    public void release(DeliveryLease lease) {
        try {
            database.transaction("releasing a delivery lease", c -> {
                ProgressTable.release(c, lease.webhookId(), lease.progress().area(), lease.token());
                return null;
            });
        } catch (RuntimeException e) {
            // never throws: a lease that cannot be released lapses at its term
        }
    }

    @Override
    public Optional<DeliveryProgress> record(DeliveryLease lease, DeliveryAttempt attempt) {
        StagingArea area = lease.progress().area();
        if (!attempt.area().equals(area)) {
            throw new IllegalArgumentException("an attempt in " + attempt.area() + " under a lease on " + area);
        }
        String webhookId = lease.webhookId();
        return database.transaction("recording a delivery attempt", c -> {
            Optional<ProgressTable.Row> row = ProgressTable.find(c, webhookId, area);
            if (row.isEmpty() || row.get().token() != lease.token()) {
                return Optional.empty();
            }
            DeliveryProgress after = row.get().progress().after(attempt);
            ProgressTable.save(c, webhookId, after);
            long number = WebhookTable.nextAttempt(c, webhookId);
            AttemptTable.append(c, webhookId, number, attempt);
            AttemptTable.trim(c, webhookId, number - KEPT_ATTEMPTS + 1);
            return Optional.of(after);
        });
    }

    @Override
    public boolean skip(DeliveryLease lease, long through) {
        String webhookId = lease.webhookId();
        return database.transaction("passing events a webhook does not receive", c -> {
            Optional<ProgressTable.Row> row = ProgressTable.find(c, webhookId, lease.progress().area());
            if (row.isEmpty() || row.get().token() != lease.token()) {
                return false;
            }
            ProgressTable.save(c, webhookId, row.get().progress().skippedTo(through));
            return true;
        });
    }

    @Override
    public List<DeliveryProgress> progress(String webhookId) {
        return database.read("reading a webhook's progress", c -> ProgressTable.of(c, webhookId));
    }

    @Override
    public List<DeliveryAttempt> attempts(String webhookId, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("at least one attempt, not " + limit);
        }
        return database.read("reading a webhook's attempts", c -> AttemptTable.latest(c, webhookId, limit));
    }

    @Override
    public boolean rewind(String webhookId, StagingArea area, long delivered) {
        if (delivered < 0) {
            throw new IllegalArgumentException("progress is not negative, got " + delivered);
        }
        Optional<Webhook> webhook = find(webhookId);
        if (webhook.isEmpty()) {
            return false;
        }
        requireCovered(webhook.get(), area);
        return database.transaction("rewinding a webhook's deliveries", c -> {
            if (!WebhookTable.exists(c, webhookId)) {
                return false;
            }
            ProgressTable.rewind(c, webhookId, area, delivered, ProgressTable.nextToken(c));
            return true;
        });
    }
}
