package dev.filestaging.adapter.postgres;

import dev.filestaging.ports.CompressionFormat;
import dev.filestaging.ports.DataFormat;
import dev.filestaging.ports.Digest;
import dev.filestaging.ports.FileKey;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.StoredFile;
import dev.filestaging.ports.out.UploadTicket;
import dev.filestaging.storage.records.TicketMetadata;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/** How values become columns and back: names, instants, and a file's metadata (same columns in files and changes). */
final class Columns {
    private Columns() {}

    /** The columns of a file's metadata, in the order {@link #setStoredFile} binds them. */
    static final String STORED_FILE = "name, version, size_bytes, data_format, compression_format, digest_algo,"
            + " digest_hash, uploaded_by, uploaded_on, uploaded_on_nanos, uploaded_via, expires_at, expires_at_nanos";
    static final String STORED_FILE_PARAMETERS = "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?";

    /** The name's UTF-16BE bytes: their byte order is {@link String#compareTo}'s order. */
    static byte[] nameKey(String name) {
        return name.getBytes(StandardCharsets.UTF_16BE);
    }

    /** The instant to the microsecond, as timestamptz keeps it; the rest is in its nanos column. */
    static OffsetDateTime micros(Instant instant) {
        return OffsetDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
    }

    static Instant instant(ResultSet row, String column) throws SQLException {
        return row.getObject(column, OffsetDateTime.class).toInstant();
    }

    /** An instant kept as a timestamptz and its nano-of-second. */
    static Instant instant(ResultSet row, String column, String nanosColumn) throws SQLException {
        return Instant.ofEpochSecond(instant(row, column).getEpochSecond(), row.getInt(nanosColumn));
    }

    /** Binds {@link #STORED_FILE} from parameter {@code first} on; answers the next parameter's index. */
    static int setStoredFile(PreparedStatement statement, int first, StoredFile file) throws SQLException {
        int i = first;
        statement.setString(i++, file.name());
        statement.setObject(i++, file.id());
        statement.setLong(i++, file.sizeBytes());
        statement.setString(i++, file.dataFormat() == null ? null : file.dataFormat().wireName());
        statement.setString(i++, file.compressionFormat() == null ? null : file.compressionFormat().wireName());
        statement.setString(i++, file.digest().algo());
        statement.setString(i++, file.digest().hash());
        statement.setString(i++, file.uploadedByUserId());
        statement.setObject(i++, micros(file.uploadedOn()));
        statement.setInt(i++, file.uploadedOn().getNano());
        statement.setString(i++, file.uploadedVia() == null ? null : file.uploadedVia().name());
        statement.setObject(i++, file.expiresAt() == null ? null : micros(file.expiresAt()));
        statement.setObject(i++, file.expiresAt() == null ? null : file.expiresAt().getNano(), java.sql.Types.INTEGER);
        return i;
    }

    /** An upload's client metadata and declared content, as the catalog's {@code metadata} column keeps them. */
    static byte[] ticketMetadata(UploadTicket ticket) {
        return TicketMetadata.bytes(TicketMetadata.joined(ticket.metadata(), ticket.declared()));
    }

    /** Reads what {@link #ticketMetadata} wrote. */
    static TicketMetadata.Split ticketMetadata(byte[] column) throws SQLException {
        try {
            return TicketMetadata.split(TicketMetadata.map(column));
        } catch (java.io.IOException e) {
            throw new SQLException("an upload's metadata in the catalog is malformed", e);
        }
    }

    static StoredFile storedFile(ResultSet row, StagingArea area) throws SQLException {
        String dataFormat = row.getString("data_format");
        String compression = row.getString("compression_format");
        return new StoredFile(
                row.getObject("version", UUID.class),
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
}
