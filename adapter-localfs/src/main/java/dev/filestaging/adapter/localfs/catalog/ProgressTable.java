package dev.filestaging.adapter.localfs.catalog;

import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.ProjectId;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.events.DeliveryProgress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code webhook_progress} rows: how far each endpoint got in each area, and the delivery lease on it (the token
 * of its latest grant, and until when it holds on this process's clock).
 */
final class ProgressTable {
    private ProgressTable() {}

    /** A row as a step read it: the progress, the token of the latest grant, when the lease lapses (null: released). */
    record Row(DeliveryProgress progress, long token, Long leaseUntil) {
        boolean heldAt(long now) {
            return leaseUntil != null && leaseUntil > now;
        }
    }

    private static final String PROGRESS = "organization, project, delivered, attempts, failing_since,"
            + " failing_since_nanos, not_before, not_before_nanos";
    private static final String KEY = " WHERE webhook_id = ? AND organization = ? AND project = ?";

    static final String FIND = "SELECT " + PROGRESS + ", lease_token, lease_until FROM webhook_progress" + KEY;
    static final String OF_WEBHOOK = "SELECT " + PROGRESS + " FROM webhook_progress WHERE webhook_id = ?"
            + " ORDER BY organization, project";
    static final String GRANT = "INSERT INTO webhook_progress (webhook_id, organization, project, lease_token,"
            + " lease_until) VALUES (?, ?, ?, ?, ?) ON CONFLICT (webhook_id, organization, project)"
            + " DO UPDATE SET lease_token = excluded.lease_token, lease_until = excluded.lease_until";
    static final String RENEW = "UPDATE webhook_progress SET lease_until = ?" + KEY + " AND lease_token = ?";
    static final String RELEASE = "UPDATE webhook_progress SET lease_until = NULL" + KEY + " AND lease_token = ?";
    static final String RELEASE_ALL = "UPDATE webhook_progress SET lease_until = NULL WHERE lease_until IS NOT NULL";
    static final String SAVE = "UPDATE webhook_progress SET delivered = ?, attempts = ?, failing_since = ?,"
            + " failing_since_nanos = ?, not_before = ?, not_before_nanos = ?" + KEY;
    /** A rewind: the progress set, its failures cleared, the lease ended (a new token, released). */
    static final String REWIND = "INSERT INTO webhook_progress (webhook_id, organization, project, delivered,"
            + " lease_token) VALUES (?, ?, ?, ?, ?) ON CONFLICT (webhook_id, organization, project) DO UPDATE SET"
            + " delivered = excluded.delivered, attempts = 0, failing_since = NULL, failing_since_nanos = NULL,"
            + " not_before = NULL, not_before_nanos = NULL, lease_token = excluded.lease_token, lease_until = NULL";
    static final String NEXT_TOKEN = "UPDATE webhook_lease_tokens SET last = last + 1 RETURNING last";

    static Optional<Row> find(Connection connection, String webhookId, StagingArea area) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(FIND)) {
            key(select, 1, webhookId, area);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                long until = row.getLong("lease_until");
                return Optional.of(new Row(progress(row), row.getLong("lease_token"), row.wasNull() ? null : until));
            }
        }
    }

    static List<DeliveryProgress> of(Connection connection, String webhookId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(OF_WEBHOOK)) {
            select.setString(1, webhookId);
            List<DeliveryProgress> progress = new ArrayList<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    progress.add(progress(row));
                }
            }
            return progress;
        }
    }

    /** A token no grant or rewind had before (inside the write transaction that uses it). */
    static long nextToken(Connection connection) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(NEXT_TOKEN);
             ResultSet row = update.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }

    /** Records a grant of {@code token} until {@code until}, creating the row at the start if there was none. */
    static void grant(Connection connection, String webhookId, StagingArea area, long token, long until)
            throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement(GRANT)) {
            key(upsert, 1, webhookId, area);
            upsert.setLong(4, token);
            upsert.setLong(5, until);
            upsert.executeUpdate();
        }
    }

    /** @return false when {@code token} is no longer the current grant */
    static boolean renew(Connection connection, String webhookId, StagingArea area, long token, long until)
            throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(RENEW)) {
            update.setLong(1, until);
            key(update, 2, webhookId, area);
            update.setLong(5, token);
            return update.executeUpdate() == 1;
        }
    }

    static void release(Connection connection, String webhookId, StagingArea area, long token) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(RELEASE)) {
            key(update, 1, webhookId, area);
            update.setLong(4, token);
            update.executeUpdate();
        }
    }

    /** Releases every lease: for the one process that opens the catalog, whose predecessor held them. */
    static void releaseAll(Connection connection) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(RELEASE_ALL)) {
            update.executeUpdate();
        }
    }

    /** Writes the progress of the row (which exists: the caller read it under the same transaction). */
    static void save(Connection connection, String webhookId, DeliveryProgress progress) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(SAVE)) {
            update.setLong(1, progress.delivered());
            update.setInt(2, progress.attempts());
            setInstant(update, 3, progress.failingSince());
            setInstant(update, 5, progress.notBefore());
            key(update, 7, webhookId, progress.area());
            update.executeUpdate();
        }
    }

    static void rewind(Connection connection, String webhookId, StagingArea area, long delivered, long token)
            throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement(REWIND)) {
            key(upsert, 1, webhookId, area);
            upsert.setLong(4, delivered);
            upsert.setLong(5, token);
            upsert.executeUpdate();
        }
    }

    private static void key(PreparedStatement statement, int first, String webhookId, StagingArea area)
            throws SQLException {
        statement.setString(first, webhookId);
        statement.setString(first + 1, area.organization().value());
        statement.setString(first + 2, area.project().value());
    }

    /** Binds an optional instant to two parameters, its epoch seconds and nanos, from {@code first} on. */
    static void setInstant(PreparedStatement statement, int first, Optional<Instant> instant) throws SQLException {
        if (instant.isPresent()) {
            statement.setLong(first, instant.get().getEpochSecond());
            statement.setInt(first + 1, instant.get().getNano());
        } else {
            statement.setNull(first, Types.INTEGER);
            statement.setNull(first + 1, Types.INTEGER);
        }
    }

    /** An optional instant kept as epoch seconds and nanos. */
    static Optional<Instant> instant(ResultSet row, String seconds, String nanos) throws SQLException {
        return row.getObject(seconds) == null ? Optional.empty() : Optional.of(Columns.instant(row, seconds, nanos));
    }

    private static DeliveryProgress progress(ResultSet row) throws SQLException {
        StagingArea area = new StagingArea(new OrganizationId(row.getString("organization")),
                new ProjectId(row.getString("project")));
        return new DeliveryProgress(area, row.getLong("delivered"), row.getInt("attempts"),
                instant(row, "failing_since", "failing_since_nanos"), instant(row, "not_before", "not_before_nanos"));
    }
}
