package dev.filestaging.adapter.localfs.catalog;

import dev.filestaging.ports.FileKey;
import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.ProjectId;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.out.UploadTicket;
import dev.filestaging.ports.out.blob.BlobCheckpoint;
import dev.filestaging.ports.out.catalog.UploadEntry;
import dev.filestaging.storage.records.TicketMetadata;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code uploads} rows: open uploads with their checkpoint, and committed ones remembered as staged. (Their
 * leases are in {@link LocalCatalog}'s memory.)
 */
final class UploadTable {
    private UploadTable() {}

    /** An upload row: the entry and its area's row id. */
    record Row(long areaId, UploadEntry entry) {}

    private static final String COLUMNS = "u.id, u.area_id, a.organization, a.project, u.name, u.length, u.metadata,"
            + " u.uploaded_by, u.created, u.created_nanos, u.expires, u.expires_nanos, u.blob_id,"
            + " u.checkpoint_offset, u.checkpoint_state";

    static final String BY_ID = "SELECT " + COLUMNS + " FROM uploads u JOIN areas a ON a.id = u.area_id"
            + " WHERE u.id = ? AND u.state = ?";

    static final String RESERVED = "SELECT 1 FROM uploads WHERE area_id = (" + AreaTable.ID + ")"
            + " AND name_key = ? AND state = 'open'";

    static void insert(Connection connection, long areaId, UploadEntry entry) throws SQLException {
        UploadTicket ticket = entry.ticket();
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO uploads (id, area_id, name_key, name,"
                + " length, metadata, uploaded_by, created, created_nanos, expires, expires_nanos, blob_id,"
                + " checkpoint_offset, checkpoint_state, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open')")) {
            insert.setString(1, ticket.id());
            insert.setLong(2, areaId);
            insert.setBytes(3, Columns.nameKey(ticket.key().name()));
            insert.setString(4, ticket.key().name());
            insert.setLong(5, ticket.length());
            insert.setBytes(6, Columns.ticketMetadata(ticket));
            insert.setString(7, ticket.uploadedBy());
            insert.setLong(8, ticket.created().getEpochSecond());
            insert.setInt(9, ticket.created().getNano());
            insert.setLong(10, ticket.expires().getEpochSecond());
            insert.setInt(11, ticket.expires().getNano());
            insert.setString(12, entry.blobId());
            insert.setLong(13, entry.checkpoint().offset());
            insert.setBytes(14, entry.checkpoint().state().getBytes(StandardCharsets.UTF_8));
            insert.executeUpdate();
        }
    }

    /** Whether an open upload of the area holds {@code name}. */
    static boolean holds(Connection connection, long areaId, String name) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT 1 FROM uploads WHERE area_id = ? AND name_key = ? AND state = 'open'")) {
            select.setLong(1, areaId);
            select.setBytes(2, Columns.nameKey(name));
            try (ResultSet row = select.executeQuery()) {
                return row.next();
            }
        }
    }

    static boolean isReserved(Connection connection, FileKey key) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(RESERVED)) {
            select.setString(1, key.area().organization().value());
            select.setString(2, key.area().project().value());
            select.setBytes(3, Columns.nameKey(key.name()));
            try (ResultSet row = select.executeQuery()) {
                return row.next();
            }
        }
    }

    /** The upload in state {@code state} ('open' or 'staged'). */
    static Optional<Row> find(Connection connection, String id, String state) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(BY_ID)) {
            select.setString(1, id);
            select.setString(2, state);
            return one(select);
        }
    }

    static void advance(Connection connection, String id, BlobCheckpoint checkpoint, long length, Instant expires)
            throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE uploads SET checkpoint_offset = ?,"
                + " checkpoint_state = ?, length = ?, expires = coalesce(?, expires),"
                + " expires_nanos = coalesce(?, expires_nanos) WHERE id = ?")) {
            update.setLong(1, checkpoint.offset());
            update.setBytes(2, checkpoint.state().getBytes(StandardCharsets.UTF_8));
            update.setLong(3, length);
            if (expires == null) {
                update.setNull(4, java.sql.Types.INTEGER);
                update.setNull(5, java.sql.Types.INTEGER);
            } else {
                update.setLong(4, expires.getEpochSecond());
                update.setInt(5, expires.getNano());
            }
            update.setString(6, id);
            update.executeUpdate();
        }
    }

    /** Remembers the upload as staged, with the length it was committed at (a deferred one declares it then). */
    static void markStaged(Connection connection, String id, long length) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE uploads SET state = 'staged', length = ? WHERE id = ?")) {
            update.setLong(1, length);
            update.setString(2, id);
            update.executeUpdate();
        }
    }

    static void delete(Connection connection, String id) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM uploads WHERE id = ?")) {
            delete.setString(1, id);
            delete.executeUpdate();
        }
    }

    static final String EXPIRED = "SELECT id FROM uploads WHERE state = ? AND (expires < ? OR (expires = ?"
            + " AND expires_nanos < ?)) ORDER BY expires, expires_nanos LIMIT ?";

    /** Up to {@code limit} uploads in {@code state} whose tickets expired before {@code now}, oldest first. */
    static List<String> expired(Connection connection, String state, Instant now, int limit) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(EXPIRED)) {
            select.setString(1, state);
            select.setLong(2, now.getEpochSecond());
            select.setLong(3, now.getEpochSecond());
            select.setInt(4, now.getNano());
            select.setInt(5, limit);
            List<String> ids = new ArrayList<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    ids.add(row.getString(1));
                }
            }
            return ids;
        }
    }

    /** Which of {@code blobIds} a file or an open upload has, in one statement. */
    static java.util.Set<String> referenced(Connection connection, java.util.Collection<String> blobIds)
            throws SQLException {
        String marks = String.join(", ", java.util.Collections.nCopies(blobIds.size(), "?"));
        try (PreparedStatement select = connection.prepareStatement("SELECT blob_id FROM files WHERE blob_id IN ("
                + marks + ") UNION SELECT blob_id FROM uploads WHERE state = 'open' AND blob_id IN (" + marks + ")")) {
            int i = 1;
            for (int pass = 0; pass < 2; pass++) {
                for (String id : blobIds) {
                    select.setString(i++, id);
                }
            }
            java.util.Set<String> referenced = new java.util.HashSet<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    referenced.add(rows.getString(1));
                }
            }
            return referenced;
        }
    }

    private static Optional<Row> one(PreparedStatement select) throws SQLException {
        try (ResultSet row = select.executeQuery()) {
            if (!row.next()) {
                return Optional.empty();
            }
            StagingArea area = new StagingArea(new OrganizationId(row.getString("organization")),
                    new ProjectId(row.getString("project")));
            TicketMetadata.Split metadata = Columns.ticketMetadata(row.getBytes("metadata"));
            UploadTicket ticket = new UploadTicket(row.getString("id"), new FileKey(area, row.getString("name")),
                    row.getLong("length"), metadata.client(), metadata.declared(), row.getString("uploaded_by"),
                    Columns.instant(row, "created", "created_nanos"), Columns.instant(row, "expires", "expires_nanos"));
            UploadEntry entry = new UploadEntry(ticket, row.getString("blob_id"), new BlobCheckpoint(
                    row.getLong("checkpoint_offset"),
                    Columns.utf8(row.getBytes("checkpoint_state"))));
            return Optional.of(new Row(row.getLong("area_id"), entry));
        }
    }
}
