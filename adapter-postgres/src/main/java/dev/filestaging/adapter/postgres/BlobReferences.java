package dev.filestaging.adapter.postgres;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/** Which blobs a file or an open upload has: one indexed look-up per id, in one statement per batch. */
final class BlobReferences {
    static final String AMONG = "SELECT blob_id FROM files WHERE blob_id = ANY (?)"
            + " UNION SELECT blob_id FROM uploads WHERE blob_id = ANY (?) AND state = 'open'";

    private BlobReferences() {}

    static Set<String> among(Connection connection, Collection<String> blobIds) throws SQLException {
        Array ids = connection.createArrayOf("text", blobIds.toArray());
        try (PreparedStatement select = connection.prepareStatement(AMONG)) {
            select.setArray(1, ids);
            select.setArray(2, ids);
            Set<String> referenced = new HashSet<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    referenced.add(rows.getString(1));
                }
            }
            return referenced;
        } finally {
            ids.free();
        }
    }
}
