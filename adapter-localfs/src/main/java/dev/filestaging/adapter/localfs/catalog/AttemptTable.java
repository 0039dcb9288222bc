package dev.filestaging.adapter.localfs.catalog;

import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.ProjectId;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.events.DeliveryAttempt;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code webhook_attempts} rows: each endpoint's log, numbered by {@link WebhookTable#nextAttempt} in the
 * transaction that appends to it, so that the number orders the log and bounds it without counting rows.
 */
final class AttemptTable {
    private AttemptTable() {}

    private static final String COLUMNS = "organization, project, sequence, event_id, at, at_nanos, outcome, status,"
            + " error, next_attempt, next_attempt_nanos";

    static final String APPEND = "INSERT INTO webhook_attempts (webhook_id, number, " + COLUMNS + ")"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    /** Numbers have no gap, so the attempts kept are the latest numbers: those before the oldest kept go. */
    static final String TRIM = "DELETE FROM webhook_attempts WHERE webhook_id = ? AND number < ?";
    static final String LATEST = "SELECT " + COLUMNS + " FROM webhook_attempts WHERE webhook_id = ?"
            + " ORDER BY number DESC LIMIT ?";

    static void append(Connection connection, String webhookId, long number, DeliveryAttempt attempt)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(APPEND)) {
            insert.setString(1, webhookId);
            insert.setLong(2, number);
            insert.setString(3, attempt.area().organization().value());
            insert.setString(4, attempt.area().project().value());
            insert.setLong(5, attempt.sequence());
            insert.setString(6, attempt.eventId());
            insert.setLong(7, attempt.at().getEpochSecond());
            insert.setInt(8, attempt.at().getNano());
            insert.setString(9, attempt.outcome().name());
            insert.setInt(10, attempt.status());
            insert.setBytes(11, attempt.error().map(error -> error.getBytes(StandardCharsets.UTF_8)).orElse(null));
            ProgressTable.setInstant(insert, 12, attempt.nextAttempt());
            insert.executeUpdate();
        }
    }

    /** Removes the endpoint's attempts numbered before {@code oldestKept}. */
    static void trim(Connection connection, String webhookId, long oldestKept) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(TRIM)) {
            delete.setString(1, webhookId);
            delete.setLong(2, oldestKept);
            delete.executeUpdate();
        }
    }

    static List<DeliveryAttempt> latest(Connection connection, String webhookId, int limit) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(LATEST)) {
            select.setString(1, webhookId);
            select.setInt(2, limit);
            List<DeliveryAttempt> attempts = new ArrayList<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    attempts.add(attempt(row));
                }
            }
            return attempts;
        }
    }

    private static Optional<String> error(byte[] column) {
        return Optional.ofNullable(column).map(bytes -> new String(bytes, StandardCharsets.UTF_8));
    }

    private static DeliveryAttempt attempt(ResultSet row) throws SQLException {
        String outcome = row.getString("outcome");
        try {
            return new DeliveryAttempt(new StagingArea(new OrganizationId(row.getString("organization")),
                    new ProjectId(row.getString("project"))), row.getLong("sequence"), row.getString("event_id"),
                    Columns.instant(row, "at", "at_nanos"), DeliveryAttempt.Outcome.valueOf(outcome),
                    row.getInt("status"), error(row.getBytes("error")),
                    ProgressTable.instant(row, "next_attempt", "next_attempt_nanos"));
        } catch (IllegalArgumentException malformed) {
            throw new SQLException("a delivery attempt in the catalog is malformed (" + outcome + ")", malformed);
        }
    }
}
