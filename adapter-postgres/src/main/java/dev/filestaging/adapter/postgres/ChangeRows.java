package dev.filestaging.adapter.postgres;

import dev.filestaging.ports.FileKey;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.events.Change;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The {@code changes} rows: each area's log, numbered under the area's lock. */
final class ChangeRows {
    private ChangeRows() {}

    /** The area's id from a sub-select, as in {@link FileRows}. */
    static final String PAGE = "SELECT sequence, kind, at, " + Columns.STORED_FILE
            + ", upload_id, upload_length FROM changes"
            + " WHERE area_id = (" + AreaRows.ID + ") AND sequence > ? ORDER BY sequence LIMIT ?";

    /** Appends a file's entry {@code sequence} (numbered by {@link AreaRows#adjust}), stamped by the database's clock. */
    static Change appendFile(Connection connection, long areaId, long sequence, Change.Kind kind,
                             dev.filestaging.ports.StoredFile file) throws SQLException {
        try (PreparedStatement insert = prepareInsert(connection, areaId, sequence, kind)) {
            int next = Columns.setStoredFile(insert, 4, file);
            insert.setNull(next++, Types.VARCHAR);
            insert.setNull(next, Types.BIGINT);
            return Change.ofFile(sequence, kind, file, stamp(insert));
        }
    }

    /** Appends an expired upload's entry, as {@link #appendFile}. */
    static Change appendUpload(Connection connection, long areaId, long sequence, Change.ExpiredUpload upload)
            throws SQLException {
        try (PreparedStatement insert = prepareInsert(connection, areaId, sequence, Change.Kind.UPLOAD_EXPIRED)) {
            int i = 4;
            insert.setString(i++, upload.key().name());
            insert.setNull(i++, Types.OTHER);
            insert.setLong(i++, upload.receivedBytes());
            insert.setNull(i++, Types.VARCHAR);
            insert.setNull(i++, Types.VARCHAR);
            insert.setNull(i++, Types.VARCHAR);
            insert.setNull(i++, Types.VARCHAR);
            insert.setString(i++, upload.uploadedBy());
            insert.setObject(i++, Columns.micros(upload.created()));
            insert.setInt(i++, upload.created().getNano());
            insert.setString(i++, dev.filestaging.ports.UploadMethod.RESUMABLE.name());
            insert.setNull(i++, Types.TIMESTAMP_WITH_TIMEZONE);
            insert.setNull(i++, Types.INTEGER);
            insert.setString(i++, upload.id());
            insert.setLong(i, upload.length());
            return Change.ofUpload(sequence, upload, stamp(insert));
        }
    }

    private static PreparedStatement prepareInsert(Connection connection, long areaId, long sequence, Change.Kind kind)
            throws SQLException {
        // the database's clock (one for every process), to the microsecond, as it reads back
        PreparedStatement insert = connection.prepareStatement("INSERT INTO changes (area_id, sequence, kind, at, "
                + Columns.STORED_FILE + ", upload_id, upload_length) VALUES (?, ?, ?, clock_timestamp(), "
                + Columns.STORED_FILE_PARAMETERS + ", ?, ?) RETURNING at");
        insert.setLong(1, areaId);
        insert.setLong(2, sequence);
        insert.setString(3, kind.name());
        return insert;
    }

    private static Instant stamp(PreparedStatement insert) throws SQLException {
        try (ResultSet row = insert.executeQuery()) {
            row.next();
            return Columns.instant(row, "at");
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
                    changes.add(change(row, area));
                }
            }
            return changes;
        }
    }

    private static Change change(ResultSet row, StagingArea area) throws SQLException {
        long sequence = row.getLong("sequence");
        Change.Kind kind = Change.Kind.valueOf(row.getString("kind"));
        Instant at = Columns.instant(row, "at");
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
                + " (SELECT area_id, sequence FROM changes WHERE at < ? ORDER BY at LIMIT ?)")) {
            delete.setObject(1, Columns.micros(before));
            delete.setInt(2, limit);
            return delete.executeUpdate();
        }
    }
}
