package dev.filestaging.adapter.postgres;

import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.StoredFile;
import dev.filestaging.ports.out.catalog.Change;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The {@code changes} rows: each area's log, numbered under the area's lock. */
final class ChangeLog {
    private ChangeLog() {}

    /** The area's id from a sub-select, as in {@link FileRows}. */
    static final String PAGE = "SELECT sequence, kind, at, " + Columns.STORED_FILE + " FROM changes"
            + " WHERE area_id = (" + AreaRows.ID + ") AND sequence > ? ORDER BY sequence LIMIT ?";

    /** Appends entry {@code sequence} (numbered by {@link AreaRows#adjust}), stamped by the database's clock. */
    static Change append(Connection connection, long areaId, long sequence, Change.Kind kind, StoredFile file)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO changes (area_id, sequence, kind, at, "
                + Columns.STORED_FILE + ") VALUES (?, ?, ?, clock_timestamp(), " + Columns.STORED_FILE_PARAMETERS
                + ") RETURNING at")) {
            insert.setLong(1, areaId);
            insert.setLong(2, sequence);
            insert.setString(3, kind.name());
            Columns.setStoredFile(insert, 4, file);
            try (ResultSet row = insert.executeQuery()) {
                row.next();
                return new Change(sequence, kind, file, Columns.instant(row, "at"));
            }
        }
    }

    static List<Change> page(Connection connection, StagingArea area, long after, int limit) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(PAGE)) {
            select.setString(1, area.organization().value());
            select.setString(2, area.project().value());
            select.setLong(3, after);
            select.setInt(4, limit);
            List<Change> changes = new ArrayList<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    changes.add(new Change(row.getLong("sequence"), Change.Kind.valueOf(row.getString("kind")),
                            Columns.storedFile(row, area), Columns.instant(row, "at")));
                }
            }
            return changes;
        }
    }
}
