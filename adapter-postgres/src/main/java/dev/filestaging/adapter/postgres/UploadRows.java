package dev.filestaging.adapter.postgres;

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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code uploads} rows: open uploads with their checkpoint and lease, and committed ones remembered as staged.
 * Leases are granted and checked on the database's clock, so that processes whose clocks disagree still agree on
 * when a lease lapsed.
 */
final class UploadRows {
    private UploadRows() {}

    /** An upload row: the entry, its area's row id and its lease's latest token. */
    record Row(long areaId, UploadEntry entry, long leaseToken) {}

    private static final String COLUMNS = "u.id, u.area_id, a.organization, a.project, u.name, u.length, u.metadata,"
            + " u.uploaded_by, u.created, u.created_nanos, u.expires, u.expires_nanos, u.blob_id,"
            + " u.checkpoint_offset, u.checkpoint_state, u.lease_token";

    private static final String SELECT = "SELECT " + COLUMNS + " FROM uploads u JOIN areas a ON a.id = u.area_id";

    static final String BY_ID = SELECT + " WHERE u.id = ? AND u.state = ?";

    static final String RESERVED = "SELECT 1 FROM uploads WHERE area_id = (" + AreaRows.ID + ")"
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
            insert.setObject(8, Columns.micros(ticket.created()));
            insert.setInt(9, ticket.created().getNano());
            insert.setObject(10, Columns.micros(ticket.expires()));
            insert.setInt(11, ticket.expires().getNano());
            insert.setString(12, entry.blobId());
            insert.setLong(13, entry.checkpoint().offset());
            insert.setBytes(14, entry.checkpoint().state().getBytes(StandardCharsets.UTF_8));
            insert.executeUpdate();
        }
    }

    /** Within a locked area: whether an open upload holds {@code name}. */
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

    /** The upload in state {@code state} ('open' or 'staged'), without a lock. */
    static Optional<Row> find(Connection connection, String id, String state) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(BY_ID)) {
            select.setString(1, id);
            select.setString(2, state);
            return one(select);
        }
    }

    /**
     * Locks the open upload's row, when {@code token} is its lease's latest grant (any token when null). Its area's
     * row must be locked first.
     */
    static Optional<Row> lockOpen(Connection connection, String id, Long token) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(BY_ID
                + " AND (?::bigint IS NULL OR u.lease_token = ?::bigint) FOR UPDATE OF u")) {
            select.setString(1, id);
            select.setString(2, "open");
            select.setObject(3, token);
            select.setObject(4, token);
            return one(select);
        }
    }

    /**
     * Grants the lease when nobody holds one that has not lapsed, in one statement: the new token and the upload.
     */
    static Optional<Row> grant(Connection connection, String id, Duration duration) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("WITH granted AS (UPDATE uploads"
                + " SET lease_token = lease_token + 1, lease_until = clock_timestamp() + ? * interval '1 millisecond'"
                + " WHERE id = ? AND state = 'open' AND (lease_until IS NULL OR lease_until <= clock_timestamp())"
                + " RETURNING *) SELECT " + COLUMNS.replace("u.", "g.")
                + " FROM granted g JOIN areas a ON a.id = g.area_id")) {
            update.setLong(1, duration.toMillis());
            update.setString(2, id);
            return one(update);
        }
    }

    /** Extends the lease when {@code token} is still its latest grant. */
    static boolean renew(Connection connection, String id, long token, Duration duration) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE uploads"
                + " SET lease_until = clock_timestamp() + ? * interval '1 millisecond'"
                + " WHERE id = ? AND state = 'open' AND lease_token = ?")) {
            update.setLong(1, duration.toMillis());
            update.setString(2, id);
            update.setLong(3, token);
            return update.executeUpdate() == 1;
        }
    }

    static void release(Connection connection, String id, long token) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE uploads SET lease_until = NULL WHERE id = ? AND state = 'open' AND lease_token = ?")) {
            update.setString(1, id);
            update.setLong(2, token);
            update.executeUpdate();
        }
    }

    /** The area row id of an open upload, to lock it before the upload's row. */
    static Optional<Long> areaOf(Connection connection, String id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT area_id FROM uploads WHERE id = ? AND state = 'open'")) {
            select.setString(1, id);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(row.getLong(1)) : Optional.empty();
            }
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
            update.setObject(4, expires == null ? null : Columns.micros(expires));
            update.setObject(5, expires == null ? null : expires.getNano(), java.sql.Types.INTEGER);
            update.setString(6, id);
            update.executeUpdate();
        }
    }

    /** Marks the upload committed: out of the open uploads' name index, its lease void. */
    /** Remembers the upload as staged, with the length it was committed at (a deferred one declares it then). */
    static void markStaged(Connection connection, String id, long length) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE uploads SET state = 'staged', length = ?, lease_until = NULL WHERE id = ?")) {
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

    static final String EXPIRED = "SELECT id FROM uploads WHERE state = ? AND (expires, expires_nanos) < (?, ?)"
            + " ORDER BY expires, expires_nanos LIMIT ?";

    /** Up to {@code limit} uploads in {@code state} whose tickets expired before {@code now}, oldest first. */
    static List<String> expired(Connection connection, String state, Instant now, int limit) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(EXPIRED)) {
            select.setString(1, state);
            select.setObject(2, Columns.micros(now));
            select.setInt(3, now.getNano());
            select.setInt(4, limit);
            List<String> ids = new ArrayList<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    ids.add(row.getString(1));
                }
            }
            return ids;
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
            UploadEntry entry = new UploadEntry(ticket, row.getString("blob_id"),
                    new BlobCheckpoint(row.getLong("checkpoint_offset"), new String(row.getBytes("checkpoint_state"), StandardCharsets.UTF_8)));
            return Optional.of(new Row(row.getLong("area_id"), entry, row.getLong("lease_token")));
        }
    }
}
