package dev.filestaging.adapter.s3;

import dev.filestaging.ports.StoredFile;
import dev.filestaging.storage.records.StoredFileRecord;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;

/**
 * A committed file as the bucket holds it: its metadata, where its content is, and the ETag of this version of the
 * record. Records are never modified, only created and deleted, so a record with a known ETag can be cached forever.
 */
record NameRecord(String key, StoredFile file, String contentKey, String etag) implements NameEntry {
    private static final String CONTENT = "content";

    NameRecord {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(contentKey, "contentKey");
    }

    static byte[] encode(StoredFile file, String contentKey) {
        return new StoredFileRecord(file, Map.of(CONTENT, contentKey)).encode();
    }

    static NameRecord decode(String key, byte[] bytes, String etag) throws IOException {
        StoredFileRecord record = StoredFileRecord.decode(bytes);
        String contentKey = record.storeAttributes().get(CONTENT);
        if (contentKey == null) {
            throw new IOException("name record " + key + " does not say where its content is");
        }
        return new NameRecord(key, record.file(), contentKey, etag);
    }
}
