package dev.filestaging.adapter.postgres;

import dev.filestaging.ports.FileKey;
import dev.filestaging.ports.NameGlob;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.out.catalog.CatalogFile;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The {@code files} rows: committed files by area and name. */
final class FileRows {
    private FileRows() {}

    /** Rows read per round trip while a glob skips names: enough to fill a page in a few trips, few to waste. */
    static final int GLOB_BATCH = 500;

    /**
     * The area's id comes from a sub-select rather than a join: a join lets the planner estimate the area's rows from
     * the average area, and for a large one it then sorts a sequential scan instead of reading the key in order.
     */
    private static final String SELECT = "SELECT " + Columns.STORED_FILE + ", blob_id FROM files"
            + " WHERE area_id = (" + AreaRows.ID + ")";

    static final String FIND = SELECT + " AND name_key = ?";

    static final String PAGE = SELECT + " AND name_key > ? ORDER BY name_key LIMIT ?";

    static Optional<CatalogFile> find(Connection connection, FileKey key) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(FIND)) {
            select.setString(1, key.area().organization().value());
            select.setString(2, key.area().project().value());
            select.setBytes(3, Columns.nameKey(key.name()));
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(file(row, key.area())) : Optional.empty();
            }
        }
    }

    /** Within a locked area: the file holding {@code name}, if any. */
    static Optional<CatalogFile> find(Connection connection, long areaId, StagingArea area, String name)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT " + Columns.STORED_FILE + ", blob_id"
                + " FROM files WHERE area_id = ? AND name_key = ?")) {
            select.setLong(1, areaId);
            select.setBytes(2, Columns.nameKey(name));
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(file(row, area)) : Optional.empty();
            }
        }
    }

    /**
     * Reads the area's files in name order from {@code after}, a batch per round trip, keeping those the glob
     * matches, until the page is full or the area ends: the cost is the page plus the names the glob skips.
     */
    static List<CatalogFile> page(Connection connection, StagingArea area, String after, int limit, NameGlob names)
            throws SQLException {
        boolean everything = NameGlob.ANY.equals(names);
        int batch = everything ? limit : Math.max(limit, GLOB_BATCH);
        byte[] from = after == null ? new byte[0] : Columns.nameKey(after);
        List<CatalogFile> page = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(PAGE)) {
            select.setString(1, area.organization().value());
            select.setString(2, area.project().value());
            select.setInt(4, batch);
            while (true) {
                select.setBytes(3, from);
                int read = 0;
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        read++;
                        CatalogFile file = file(row, area);
                        if (everything || names.matches(file.file().name())) {
                            page.add(file);
                            if (page.size() == limit) {
                                return page;
                            }
                        }
                        from = Columns.nameKey(file.file().name());
                    }
                }
                if (read < batch) {
                    return page;
                }
            }
        }
    }

    static void insert(Connection connection, long areaId, CatalogFile file) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO files (area_id, name_key, "
                + Columns.STORED_FILE + ", blob_id) VALUES (?, ?, " + Columns.STORED_FILE_PARAMETERS + ", ?)")) {
            insert.setLong(1, areaId);
            insert.setBytes(2, Columns.nameKey(file.file().name()));
            int next = Columns.setStoredFile(insert, 3, file.file());
            insert.setString(next, file.blobId());
            insert.executeUpdate();
        }
    }

    /** Within a locked area: removes the file under {@code name} (of that version when given) and answers it. */
    static Optional<CatalogFile> delete(Connection connection, long areaId, FileKey key, Optional<UUID> version)
            throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM files WHERE area_id = ?"
                + " AND name_key = ? AND (?::uuid IS NULL OR version = ?::uuid)"
                + " RETURNING " + Columns.STORED_FILE + ", blob_id")) {
            delete.setLong(1, areaId);
            delete.setBytes(2, Columns.nameKey(key.name()));
            delete.setObject(3, version.orElse(null));
            delete.setObject(4, version.orElse(null));
            try (ResultSet row = delete.executeQuery()) {
                return row.next() ? Optional.of(file(row, key.area())) : Optional.empty();
            }
        }
    }

    private static CatalogFile file(ResultSet row, StagingArea area) throws SQLException {
        return new CatalogFile(Columns.storedFile(row, area), row.getString("blob_id"));
    }

    static final String EXPIRED = "SELECT a.organization, a.project, f.name FROM files f JOIN areas a"
            + " ON a.id = f.area_id WHERE f.expires_at IS NOT NULL AND (f.expires_at, f.expires_at_nanos) <= (?, ?)"
            + " ORDER BY f.expires_at, f.expires_at_nanos LIMIT ?";

    /** Up to {@code limit} files whose expiry is not after {@code now}, soonest first, through the expiry index. */
    static List<FileKey> expired(Connection connection, Instant now, int limit) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(EXPIRED)) {
            select.setObject(1, Columns.micros(now));
            select.setInt(2, now.getNano());
            select.setInt(3, limit);
            List<FileKey> keys = new ArrayList<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    keys.add(new FileKey(new StagingArea(new dev.filestaging.ports.OrganizationId(row.getString(1)),
                            new dev.filestaging.ports.ProjectId(row.getString(2))), row.getString(3)));
                }
            }
            return keys;
        }
    }
}
