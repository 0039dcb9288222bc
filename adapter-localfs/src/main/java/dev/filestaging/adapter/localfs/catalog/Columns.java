package dev.filestaging.adapter.localfs.catalog;

import dev.filestaging.ports.CompressionFormat;
import dev.filestaging.ports.DataFormat;
import dev.filestaging.ports.Digest;
import dev.filestaging.ports.FileKey;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.StoredFile;
import dev.filestaging.ports.out.catalog.CatalogFile;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** How values become SQLite columns and back: names, instants, a file's metadata, an upload's metadata. */
final class Columns {
    private Columns() {}

    /** The columns of a file's metadata, in the order {@link #setStoredFile} binds them. */
    static final String STORED_FILE = "name, version, size_bytes, data_format, compression_format, digest_algo,"
            + " digest_hash, uploaded_by, uploaded_on, uploaded_on_nanos";
    static final String STORED_FILE_PARAMETERS = "?, ?, ?, ?, ?, ?, ?, ?, ?, ?";

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
                instant(row, "uploaded_on", "uploaded_on_nanos"));
    }

    static CatalogFile catalogFile(ResultSet row, StagingArea area) throws SQLException {
        return new CatalogFile(storedFile(row, area), row.getString("blob_id"));
    }

    /** A map as bytes: for each entry, key then value, each as its UTF-8 length (4 bytes) and its UTF-8 bytes. */
    static byte[] pairs(Map<String, String> map) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            for (Map.Entry<String, String> entry : map.entrySet()) {
                writeString(out, entry.getKey());
                writeString(out, entry.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // not from memory
        }
        return bytes.toByteArray();
    }

    static Map<String, String> pairs(byte[] bytes) throws SQLException {
        Map<String, String> map = new LinkedHashMap<>();
        if (bytes == null) {
            return map; // SQLite may give an empty BLOB back as null
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            while (in.available() > 0) {
                map.put(readString(in), readString(in));
            }
        } catch (IOException e) {
            throw new SQLException("an upload's metadata in the catalog is malformed", e);
        }
        return map;
    }

    /** A text kept as UTF-8 bytes; SQLite may give an empty BLOB back as null. */
    static String utf8(byte[] bytes) {
        return bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
    }

    private static void writeString(DataOutputStream out, String text) throws IOException {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static String readString(DataInputStream in) throws IOException {
        return new String(in.readNBytes(in.readInt()), StandardCharsets.UTF_8);
    }
}
