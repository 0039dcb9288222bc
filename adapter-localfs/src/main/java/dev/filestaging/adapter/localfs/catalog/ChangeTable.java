package dev.filestaging.adapter.localfs.catalog;

import dev.filestaging.ports.FileKey;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.events.Change;
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

    static final String PAGE = "SELECT sequence, kind, at, at_nanos, " + Columns.STORED_FILE
            + ", upload_id, upload_length FROM changes"
            + " WHERE area_id = (" + AreaTable.ID + ") AND sequence > ? ORDER BY sequence LIMIT ?";

    /** Records {@code change}, numbered by the caller, for the area {@code areaId}. */
    static Change append(Connection connection, long areaId, Change change) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO changes (area_id, sequence, kind, at,"
                + " at_nanos, " + Columns.STORED_FILE + ", upload_id, upload_length) VALUES (?, ?, ?, ?, ?, "
                + Columns.STORED_FILE_PARAMETERS + ", ?, ?)")) {
            insert.setLong(1, areaId);
            insert.setLong(2, change.sequence());
            insert.setString(3, change.kind().name());
            insert.setLong(4, change.at().getEpochSecond());
            insert.setInt(5, change.at().getNano());
            int next;
            if (change.file() != null) {
                next = Columns.setStoredFile(insert, 6, change.file());
                insert.setNull(next++, java.sql.Types.VARCHAR);
                insert.setNull(next, java.sql.Types.INTEGER);
            } else {
                next = setUpload(insert, 6, change.upload());
            }
            insert.executeUpdate();
        }
        return change;
    }

    /** Binds an upload's entry to the {@link Columns#STORED_FILE} columns and the upload's own. */
    private static int setUpload(PreparedStatement insert, int first, Change.ExpiredUpload upload)
            throws SQLException {
        int i = first;
        insert.setString(i++, upload.key().name());
        insert.setNull(i++, java.sql.Types.VARCHAR);
        insert.setLong(i++, upload.receivedBytes());
        insert.setNull(i++, java.sql.Types.VARCHAR);
        insert.setNull(i++, java.sql.Types.VARCHAR);
        insert.setNull(i++, java.sql.Types.VARCHAR);
        insert.setNull(i++, java.sql.Types.VARCHAR);
        insert.setString(i++, upload.uploadedBy());
        insert.setLong(i++, upload.created().getEpochSecond());
        insert.setInt(i++, upload.created().getNano());
        insert.setString(i++, dev.filestaging.ports.UploadMethod.RESUMABLE.name());
        insert.setNull(i++, java.sql.Types.INTEGER);
        insert.setNull(i++, java.sql.Types.INTEGER);
        insert.setString(i++, upload.id());
        insert.setLong(i++, upload.length());
        return i;
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
                    changes.add(change(row, area));
                }
            }
            return changes;
        }
    }

    private static Change change(ResultSet row, StagingArea area) throws SQLException {
        long sequence = row.getLong("sequence");
        Change.Kind kind = Change.Kind.valueOf(row.getString("kind"));
        Instant at = Columns.instant(row, "at", "at_nanos");
        if (kind != Change.Kind.UPLOAD_EXPIRED) {
            return Change.ofFile(sequence, kind, Columns.storedFile(row, area), at);
        }
        return Change.ofUpload(sequence, new Change.ExpiredUpload(row.getString("upload_id"),
                new FileKey(area, row.getString("name")), row.getLong("size_bytes"), row.getLong("upload_length"),
                row.getString("uploaded_by"), Columns.instant(row, "uploaded_on", "uploaded_on_nanos")), at);
    }

    /** Removes up to {@code limit} entries recorded before {@code before}, oldest first. */
    static int trim(Connection connection, Instant before, int limit) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM changes WHERE (area_id, sequence) IN"
                + " (SELECT area_id, sequence FROM changes WHERE at < ? OR (at = ? AND at_nanos < ?)"
                + " ORDER BY at, at_nanos LIMIT ?)")) {
            delete.setLong(1, before.getEpochSecond());
            delete.setLong(2, before.getEpochSecond());
            delete.setInt(3, before.getNano());
            delete.setInt(4, limit);
            return delete.executeUpdate();
        }
    }
}
