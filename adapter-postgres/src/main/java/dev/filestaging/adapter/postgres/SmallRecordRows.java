package dev.filestaging.adapter.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The {@code small_records} rows: a write replaces a record whole, in one statement. */
final class SmallRecordRows {
    private SmallRecordRows() {}

    static Optional<String> read(Connection connection, String namespace, String key) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT text FROM small_records WHERE namespace = ? AND key = ?")) {
            select.setString(1, namespace);
            select.setString(2, key);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(row.getString(1)) : Optional.empty();
            }
        }
    }

    static void write(Connection connection, String namespace, String key, String text) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO small_records (namespace, key, text)"
                + " VALUES (?, ?, ?) ON CONFLICT (namespace, key) DO UPDATE SET text = EXCLUDED.text")) {
            upsert.setString(1, namespace);
            upsert.setString(2, key);
            upsert.setString(3, text);
            upsert.executeUpdate();
        }
    }

    static Map<String, String> readAll(Connection connection, String namespace) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT key, text FROM small_records WHERE namespace = ?")) {
            select.setString(1, namespace);
            Map<String, String> records = new TreeMap<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    records.put(row.getString(1), row.getString(2));
                }
            }
            return records;
        }
    }
}
