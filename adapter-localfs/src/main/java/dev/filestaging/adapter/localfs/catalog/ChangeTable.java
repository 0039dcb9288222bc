package dev.filestaging.adapter.localfs.catalog;

import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.StoredFile;
import dev.filestaging.ports.out.catalog.Change;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The {@code changes} rows: each area's log, numbered by {@link AreaTable#adjust} in the same transaction. */
final class ChangeTable {
    private ChangeTable() {}

    static final String PAGE = "SELECT sequence, kind, at, at_nanos, " + Columns.STORED_FILE + " FROM changes"
            + " WHERE area_id = (" + AreaTable.ID + ") AND sequence > ? ORDER BY sequence LIMIT ?";

    static Change append(Connection connection, long areaId, long sequence, Change.Kind kind, StoredFile file,
                         Instant at) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO changes (area_id, sequence, kind, at,"
                + " at_nanos, " + Columns.STORED_FILE + ") VALUES (?, ?, ?, ?, ?, " + Columns.STORED_FILE_PARAMETERS
                + ")")) {
            insert.setLong(1, areaId);
            insert.setLong(2, sequence);
            insert.setString(3, kind.name());
            insert.setLong(4, at.getEpochSecond());
            insert.setInt(5, at.getNano());
            Columns.setStoredFile(insert, 6, file);
            insert.executeUpdate();
        }
        return new Change(sequence, kind, file, at);
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
                            Columns.storedFile(row, area), Columns.instant(row, "at", "at_nanos")));
                }
            }
            return changes;
        }
    }
}
