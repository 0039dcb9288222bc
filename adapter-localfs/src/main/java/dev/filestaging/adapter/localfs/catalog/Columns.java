package dev.filestaging.adapter.localfs.catalog;

import dev.filestaging.ports.CompressionFormat;
import dev.filestaging.ports.DataFormat;
import dev.filestaging.ports.Digest;
import dev.filestaging.ports.FileKey;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.StoredFile;
import dev.filestaging.ports.out.UploadTicket;
import dev.filestaging.ports.out.catalog.CatalogFile;
import dev.filestaging.storage.records.TicketMetadata;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;

/** How values become SQLite columns and back: names, instants, a file's metadata, an upload's metadata. */
final class Columns {
    private Columns() {}

    /** The columns of a file's metadata, in the order {@link #setStoredFile} binds them. */
    static final String STORED_FILE = "name, version, size_bytes, data_format, compression_format, digest_algo,"
            + " digest_hash, uploaded_by, uploaded_on, uploaded_on_nanos, uploaded_via, expires_at, expires_at_nanos";
    static final String STORED_FILE_PARAMETERS = "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?";

    /** The name's UTF-16BE bytes: SQLite compares BLOBs bytewise, which is {@link String#compareTo}'s order. */
    static byte[] nameKey(String name) {
        return name.getBytes(StandardCharsets.UTF_16BE);
    }

    static Instant instant(ResultSet row, String seconds, String nanos) throws SQLException {
        return Instant.ofEpochSecond(row.getLong(seconds), row.getInt(nanos));
    }

    /** Binds {@link #STORED_FILE} from parameter {@code first} on; answers the next parameter's index. */
    static int setStoredFile(PreparedStatement statement, int first, StoredFile file) throws SQLException {
        int i = first;
        statement.setString(i++, file.name());
        statement.setString(i++, file.id().toString());
        statement.setLong(i++, file.sizeBytes());
        statement.setString(i++, file.dataFormat() == null ? null : file.dataFormat().wireName());
        statement.setString(i++, file.compressionFormat() == null ? null : file.compressionFormat().wireName());
        statement.setString(i++, file.digest().algo());
        statement.setString(i++, file.digest().hash());
        statement.setString(i++, file.uploadedByUserId());
        statement.setLong(i++, file.uploadedOn().getEpochSecond());
        statement.setInt(i++, file.uploadedOn().getNano());
        statement.setString(i++, file.uploadedVia() == null ? null : file.uploadedVia().name());
        if (file.expiresAt() == null) {
            statement.setNull(i++, java.sql.Types.INTEGER);
            statement.setNull(i++, java.sql.Types.INTEGER);
        } else {
            statement.setLong(i++, file.expiresAt().getEpochSecond());
            statement.setInt(i++, file.expiresAt().getNano());
        }
        return i;
    }

    static StoredFile storedFile(ResultSet row, StagingArea area) throws SQLException {
        String dataFormat = row.getString("data_format");
        String compression = row.getString("compression_format");
        return new StoredFile(
                UUID.fromString(row.getString("version")),
                new FileKey(area, row.getString("name")),
                row.getLong("size_bytes"),
                dataFormat == null ? null : DataFormat.fromWireName(dataFormat).orElseThrow(
                        () -> new SQLException("unknown data format in the catalog: " + dataFormat)),
                compression == null ? null : CompressionFormat.fromWireName(compression).orElseThrow(
                        () -> new SQLException("unknown compression format in the catalog: " + compression)),
                new Digest(row.getString("digest_algo"), row.getString("digest_hash")),
                row.getString("uploaded_by"),
                instant(row, "uploaded_on", "uploaded_on_nanos"),
                uploadMethod(row.getString("uploaded_via")),
                row.getObject("expires_at") == null ? null : instant(row, "expires_at", "expires_at_nanos"));
    }

    private static dev.filestaging.ports.UploadMethod uploadMethod(String column) throws SQLException {
        try {
            return column == null ? null : dev.filestaging.ports.UploadMethod.valueOf(column);
        } catch (IllegalArgumentException unknown) {
            throw new SQLException("unknown upload method in the catalog: " + column, unknown);
        }
    }

    static CatalogFile catalogFile(ResultSet row, StagingArea area) throws SQLException {
        return new CatalogFile(storedFile(row, area), row.getString("blob_id"));
    }

    /** An upload's client metadata and declared content, as the catalog's {@code metadata} column keeps them. */
    static byte[] ticketMetadata(UploadTicket ticket) {
        return TicketMetadata.bytes(TicketMetadata.joined(ticket.metadata(), ticket.declared()));
    }

    /** Reads what {@link #ticketMetadata} wrote. */
    static TicketMetadata.Split ticketMetadata(byte[] column) throws SQLException {
        try {
            // SQLite may give an empty BLOB back as null
            return TicketMetadata.split(TicketMetadata.map(column == null ? new byte[0] : column));
        } catch (java.io.IOException e) {
            throw new SQLException("an upload's metadata in the catalog is malformed", e);
        }
    }

    /** A text kept as UTF-8 bytes; SQLite may give an empty BLOB back as null. */
    static String utf8(byte[] bytes) {
        return bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
    }
}
