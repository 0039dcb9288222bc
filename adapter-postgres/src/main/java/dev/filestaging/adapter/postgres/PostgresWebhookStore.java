package dev.filestaging.adapter.postgres;

import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.events.DeliveryAttempt;
import dev.filestaging.ports.events.DeliveryProgress;
import dev.filestaging.ports.events.Webhook;
import dev.filestaging.ports.out.events.DeliveryLease;
import dev.filestaging.ports.out.events.WebhookStore;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The webhooks in the catalog's PostgreSQL database, shared by every process that opens it: the endpoints, their
 * progress per area with its delivery lease, and their logs (see {@code V3__webhooks.sql}).
 *
 * <p>A claim is one statement (an insert or a conditional update of the progress row, on the database's clock), so
 * of concurrent claims exactly one wins without a lock held across round trips. A record is one transaction that
 * locks the endpoint's row, then the progress row when the lease's token is still its latest grant, and writes the
 * progress, the log entry and the log's trim together. Renewals and releases are single statements that compare the
 * token.
 *
 * <p>An endpoint's organization and project never change, so whether it covers an area is checked from a plain read:
 * a refused argument never needs a transaction.
 */
final class PostgresWebhookStore implements WebhookStore {
    /** foreign_key_violation: the endpoint was removed between a claim's read of it and its insert. */
    private static final String REMOVED_MEANWHILE = "23503";

    private final Database database;

    PostgresWebhookStore(Database database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    @Override
    public void add(Webhook webhook) {
        Objects.requireNonNull(webhook, "webhook");
        if (!database.read("registering a webhook", c -> WebhookRows.insert(c, webhook))) {
            throw new IllegalArgumentException("a webhook " + webhook.id() + " is registered already");
        }
    }

    @Override
    public Optional<Webhook> find(String id) {
        return database.read("finding a webhook", c -> WebhookRows.find(c, id));
    }

    @Override
    public List<Webhook> list(OrganizationId organization) {
        return database.read("listing an organization's webhooks", c -> WebhookRows.of(c, organization));
    }

    @Override
    public List<Webhook> enabled() {
        return database.read("listing the enabled webhooks", WebhookRows::enabled);
    }

    @Override
    public boolean remove(String id) {
        return database.read("removing a webhook", c -> WebhookRows.delete(c, id));
    }

    @Override
    public boolean enable(String id) {
        return database.read("enabling a webhook", c -> WebhookRows.enable(c, id));
    }

    @Override
    public boolean replaceSecrets(String id, List<String> secrets) {
        List<String> checked = List.copyOf(secrets);
        if (checked.isEmpty()) {
            throw new IllegalArgumentException("a webhook has at least one secret");
        }
        return database.read("replacing a webhook's secrets", c -> WebhookRows.replaceSecrets(c, id, checked));
    }

    @Override
    public boolean disable(String id, String reason) {
        Objects.requireNonNull(reason, "reason");
        return database.read("disabling a webhook", c -> WebhookRows.disable(c, id, reason));
    }

    @Override
    public Optional<DeliveryLease> claim(String webhookId, StagingArea area, Duration duration) {
        Optional<ProgressRows.Row> granted = database.read("claiming a webhook's deliveries", c -> {
            try {
                return ProgressRows.grant(c, webhookId, area, duration);
            } catch (java.sql.SQLException e) {
                if (REMOVED_MEANWHILE.equals(e.getSQLState())) {
                    return Optional.empty();
                }
                throw e;
            }
        });
        if (granted.isPresent()) {
            return Optional.of(new DeliveryLease(webhookId, granted.get().token(), granted.get().progress()));
        }
        // held, unknown, disabled, or an area it does not receive: only the last is the caller's mistake
        find(webhookId).ifPresent(webhook -> requireCovered(webhook, area));
        return Optional.empty();
    }

    private static void requireCovered(Webhook webhook, StagingArea area) {
        if (!webhook.covers(area)) {
            throw new IllegalArgumentException("webhook " + webhook.id() + " does not receive the events of " + area);
        }
    }

    @Override
    public boolean renew(DeliveryLease lease, Duration duration) {
        return database.read("renewing a delivery lease", c -> ProgressRows.renew(c, lease.webhookId(),
                lease.progress().area(), lease.token(), duration));
    }

    @Override
    public void release(DeliveryLease lease) {
        try {
            database.read("releasing a delivery lease", c -> {
                ProgressRows.release(c, lease.webhookId(), lease.progress().area(), lease.token());
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
            if (!WebhookRows.lock(c, WebhookRows.LOCK_FOR_RECORD, webhookId)) {
                return Optional.empty();
            }
            Optional<ProgressRows.Row> row = ProgressRows.lock(c, webhookId, area, lease.token());
            if (row.isEmpty()) {
                return Optional.empty();
            }
            DeliveryProgress after = row.get().progress().after(attempt);
            ProgressRows.save(c, webhookId, after);
            long number = WebhookRows.nextAttempt(c, webhookId);
            AttemptRows.append(c, webhookId, number, attempt);
            AttemptRows.trim(c, webhookId, number - KEPT_ATTEMPTS + 1);
            return Optional.of(after);
        });
    }

    @Override
    public boolean skip(DeliveryLease lease, long through) {
        String webhookId = lease.webhookId();
        return database.transaction("passing events a webhook does not receive", c -> {
            Optional<ProgressRows.Row> row = ProgressRows.lock(c, webhookId, lease.progress().area(), lease.token());
            if (row.isEmpty()) {
                return false;
            }
            ProgressRows.save(c, webhookId, row.get().progress().skippedTo(through));
            return true;
        });
    }

    @Override
    public List<DeliveryProgress> progress(String webhookId) {
        return database.read("reading a webhook's progress", c -> ProgressRows.of(c, webhookId));
    }

    @Override
    public List<DeliveryAttempt> attempts(String webhookId, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("at least one attempt, not " + limit);
        }
        return database.read("reading a webhook's attempts", c -> AttemptRows.latest(c, webhookId, limit));
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
            if (!WebhookRows.lock(c, WebhookRows.LOCK_FOR_REWIND, webhookId)) {
                return false;
            }
            ProgressRows.rewind(c, webhookId, area, delivered);
            return true;
        });
    }
}
