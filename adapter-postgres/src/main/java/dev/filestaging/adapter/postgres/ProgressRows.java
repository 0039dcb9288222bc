package dev.filestaging.adapter.postgres;

import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.ProjectId;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.events.DeliveryProgress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code webhook_progress} rows: how far each endpoint got in each area, and the delivery lease on it. As for
 * uploads, a lease is a fencing token (from {@code webhook_lease_tokens}) and a time on the database's clock, so
 * that processes whose clocks disagree still agree on when a lease lapsed; changes compare the token, never the time.
 */
final class ProgressRows {
    private ProgressRows() {}

    /** A row as a step read it: the progress and the token of the latest grant or rewind. */
    record Row(DeliveryProgress progress, long token) {}

    private static final String PROGRESS = "organization, project, delivered, attempts, failing_since,"
            + " failing_since_nanos, not_before, not_before_nanos";
    private static final String KEY = " WHERE webhook_id = ? AND organization = ? AND project = ?";
    private static final String UNTIL = "clock_timestamp() + ? * interval '1 millisecond'";

    /**
     * The grant, in one statement: the row is created at the start if there is none, and its lease taken if it has
     * none that has not lapsed, for an endpoint that exists, is enabled and receives the area's events. Of concurrent
     * claims exactly one inserts or updates; the others find the lease held and answer nothing.
     */
    static final String GRANT = "INSERT INTO webhook_progress AS p (webhook_id, organization, project, lease_token,"
            + " lease_until) SELECT w.id, ?, ?, nextval('webhook_lease_tokens'), " + UNTIL + " FROM webhooks w"
            + " WHERE w.id = ? AND w.disabled IS NULL AND w.organization = ? AND (w.project IS NULL OR w.project = ?)"
            + " ON CONFLICT (webhook_id, organization, project) DO UPDATE"
            + " SET lease_token = excluded.lease_token, lease_until = excluded.lease_until"
            + " WHERE p.lease_until IS NULL OR p.lease_until <= clock_timestamp()"
            + " RETURNING p." + PROGRESS.replace(", ", ", p.") + ", p.lease_token";
    static final String LOCK = "SELECT " + PROGRESS + ", lease_token FROM webhook_progress" + KEY
            + " AND lease_token = ? FOR UPDATE";
    static final String OF_WEBHOOK = "SELECT " + PROGRESS + " FROM webhook_progress WHERE webhook_id = ?"
            + " ORDER BY organization COLLATE \"C\", project COLLATE \"C\"";
    static final String RENEW = "UPDATE webhook_progress SET lease_until = " + UNTIL + KEY + " AND lease_token = ?";
    static final String RELEASE = "UPDATE webhook_progress SET lease_until = NULL" + KEY + " AND lease_token = ?";
    static final String SAVE = "UPDATE webhook_progress SET delivered = ?, attempts = ?, failing_since = ?,"
            + " failing_since_nanos = ?, not_before = ?, not_before_nanos = ?" + KEY;
    /** A rewind: the progress set, its failures cleared, the lease ended (a new token, released). */
    static final String REWIND = "INSERT INTO webhook_progress AS p (webhook_id, organization, project, delivered,"
            + " lease_token) VALUES (?, ?, ?, ?, nextval('webhook_lease_tokens'))"
            + " ON CONFLICT (webhook_id, organization, project) DO UPDATE SET delivered = excluded.delivered,"
            + " attempts = 0, failing_since = NULL, failing_since_nanos = NULL, not_before = NULL,"
            + " not_before_nanos = NULL, lease_token = excluded.lease_token, lease_until = NULL";

    static Optional<Row> grant(Connection connection, String webhookId, StagingArea area, Duration duration)
            throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement(GRANT)) {
            upsert.setString(1, area.organization().value());
            upsert.setString(2, area.project().value());
            upsert.setLong(3, duration.toMillis());
            upsert.setString(4, webhookId);
            upsert.setString(5, area.organization().value());
            upsert.setString(6, area.project().value());
            return one(upsert);
        }
    }

    /** Locks the row when {@code token} is its latest grant; empty when it is not (or there is no row). */
    static Optional<Row> lock(Connection connection, String webhookId, StagingArea area, long token)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(LOCK)) {
            key(select, 1, webhookId, area);
            select.setLong(4, token);
            return one(select);
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

    /** @return false when {@code token} is no longer the current grant */
    static boolean renew(Connection connection, String webhookId, StagingArea area, long token, Duration duration)
            throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(RENEW)) {
            update.setLong(1, duration.toMillis());
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

    /** Writes the progress of the row, locked by {@link #lock}. */
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

    static void rewind(Connection connection, String webhookId, StagingArea area, long delivered)
            throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement(REWIND)) {
            key(upsert, 1, webhookId, area);
            upsert.setLong(4, delivered);
            upsert.executeUpdate();
        }
    }

    private static void key(PreparedStatement statement, int first, String webhookId, StagingArea area)
            throws SQLException {
        statement.setString(first, webhookId);
        statement.setString(first + 1, area.organization().value());
        statement.setString(first + 2, area.project().value());
    }

    /** Binds an optional instant to two parameters, a timestamptz and its nano-of-second, from {@code first} on. */
    static void setInstant(PreparedStatement statement, int first, Optional<Instant> instant) throws SQLException {
        if (instant.isPresent()) {
            statement.setObject(first, Columns.micros(instant.get()));
            statement.setInt(first + 1, instant.get().getNano());
        } else {
            statement.setNull(first, Types.TIMESTAMP_WITH_TIMEZONE);
            statement.setNull(first + 1, Types.INTEGER);
        }
    }

    /** An optional instant kept as a timestamptz and its nano-of-second. */
    static Optional<Instant> instant(ResultSet row, String column, String nanos) throws SQLException {
        return row.getObject(column) == null ? Optional.empty() : Optional.of(Columns.instant(row, column, nanos));
    }

    private static Optional<Row> one(PreparedStatement statement) throws SQLException {
        try (ResultSet row = statement.executeQuery()) {
            return row.next() ? Optional.of(new Row(progress(row), row.getLong("lease_token"))) : Optional.empty();
        }
    }

    private static DeliveryProgress progress(ResultSet row) throws SQLException {
        StagingArea area = new StagingArea(new OrganizationId(row.getString("organization")),
                new ProjectId(row.getString("project")));
        return new DeliveryProgress(area, row.getLong("delivered"), row.getInt("attempts"),
                instant(row, "failing_since", "failing_since_nanos"), instant(row, "not_before", "not_before_nanos"));
    }
}
