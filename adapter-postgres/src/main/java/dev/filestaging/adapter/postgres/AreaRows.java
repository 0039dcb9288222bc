package dev.filestaging.adapter.postgres;

import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.out.catalog.AreaUsage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * The {@code areas} rows: each area's usage counters and last change-log number, and the lock every changing step
 * takes first.
 */
final class AreaRows {
    private AreaRows() {}

    /** An area's row as locked by a step. */
    record Locked(long id, AreaUsage usage) {}

    private static final String COLUMNS = "id, used_bytes, files, held_bytes, open_uploads";

    /** The area's row id, for the other tables' statements to select by. */
    static final String ID = "SELECT id FROM areas WHERE organization = ? AND project = ?";

    static final String USAGE = "SELECT " + COLUMNS + " FROM areas WHERE organization = ? AND project = ?";

    /** Locks the area's row, creating it first if the area was never used. */
    static Locked lockOrCreate(Connection connection, StagingArea area) throws SQLException {
        Optional<Locked> found = lock(connection, area);
        if (found.isPresent()) {
            return found.get();
        }
        // a concurrent creator's row wins; ours then does nothing and the lock below waits for and finds theirs
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO areas (organization, project) VALUES (?, ?) ON CONFLICT (organization, project) DO NOTHING")) {
            insert.setString(1, area.organization().value());
            insert.setString(2, area.project().value());
            insert.executeUpdate();
        }
        return lock(connection, area).orElseThrow(() -> new SQLException("area row vanished: " + area));
    }

    /** Locks the area's row, if the area was ever used. */
    static Optional<Locked> lock(Connection connection, StagingArea area) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(USAGE + " FOR UPDATE")) {
            select.setString(1, area.organization().value());
            select.setString(2, area.project().value());
            return one(select);
        }
    }

    static Locked lock(Connection connection, long id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM areas WHERE id = ? FOR UPDATE")) {
            select.setLong(1, id);
            return one(select).orElseThrow(() -> new SQLException("no area row " + id));
        }
    }

    static AreaUsage usage(Connection connection, StagingArea area) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(USAGE)) {
            select.setString(1, area.organization().value());
            select.setString(2, area.project().value());
            return one(select).map(Locked::usage).orElse(AreaUsage.EMPTY);
        }
    }

    static long openUploads(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT coalesce(sum(open_uploads), 0) FROM areas");
             ResultSet row = select.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }

    /**
     * Changes the counters of a locked area by these amounts, and numbers one change-log entry when {@code logged}.
     *
     * @return the area's last change-log number after the change
     */
    static long adjust(Connection connection, long id, long usedBytes, long files, long heldBytes, long openUploads,
                       boolean logged) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE areas SET used_bytes = used_bytes + ?, files = files + ?, held_bytes = held_bytes + ?,"
                        + " open_uploads = open_uploads + ?, last_sequence = last_sequence + ? WHERE id = ?"
                        + " RETURNING last_sequence")) {
            update.setLong(1, usedBytes);
            update.setLong(2, files);
            update.setLong(3, heldBytes);
            update.setLong(4, openUploads);
            update.setLong(5, logged ? 1 : 0);
            update.setLong(6, id);
            try (ResultSet row = update.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private static Optional<Locked> one(PreparedStatement select) throws SQLException {
        try (ResultSet row = select.executeQuery()) {
            if (!row.next()) {
                return Optional.empty();
            }
            return Optional.of(new Locked(row.getLong("id"), new AreaUsage(row.getLong("used_bytes"),
                    row.getLong("files"), row.getLong("held_bytes"), row.getLong("open_uploads"))));
        }
    }

    /** The area's last change-log number; 0 for an area without entries or never used. */
    static long lastSequence(Connection connection, StagingArea area) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT last_sequence FROM areas WHERE organization = ? AND project = ?")) {
            select.setString(1, area.organization().value());
            select.setString(2, area.project().value());
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getLong(1) : 0;
            }
        }
    }

    /** The areas of {@code organization} with change-log entries, and their last numbers. */
    static List<dev.filestaging.ports.out.catalog.Catalog.AreaLog> logs(Connection connection,
            dev.filestaging.ports.OrganizationId organization, int limit) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT project, last_sequence FROM areas"
                + " WHERE organization = ? AND last_sequence > 0 ORDER BY project LIMIT ?")) {
            select.setString(1, organization.value());
            select.setInt(2, limit);
            List<dev.filestaging.ports.out.catalog.Catalog.AreaLog> logs = new java.util.ArrayList<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    logs.add(new dev.filestaging.ports.out.catalog.Catalog.AreaLog(new StagingArea(organization,
                            new dev.filestaging.ports.ProjectId(row.getString(1))), row.getLong(2)));
                }
            }
            return logs;
        }
    }
}
