package dev.filestaging.storage.records;

import dev.filestaging.ports.CompressionFormat;
import dev.filestaging.ports.DataFormat;
import dev.filestaging.ports.Digest;
import dev.filestaging.ports.FileKey;
import dev.filestaging.ports.StoredFile;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.UUID;

/**
 * A staged file's metadata as a small, versioned UTF-8 properties document, for stores that keep metadata next to the
 * content (a file on disk, an object in a bucket). A store may add attributes of its own (where the content lives,
 * say); they travel under a {@code store.} prefix so they can never clash with the file's fields.
 *
 * @param storeAttributes the store's own attributes, without the prefix
 */
public record StoredFileRecord(StoredFile file, Map<String, String> storeAttributes) {
    private static final String VERSION = "1";
    private static final String STORE_PREFIX = "store.";

    public StoredFileRecord {
        Objects.requireNonNull(file, "file");
        storeAttributes = Map.copyOf(storeAttributes);
    }

    public byte[] encode() {
        Properties p = Documents.versioned(VERSION);
        p.setProperty("id", file.id().toString());
        Documents.putArea(p, file.key().area());
        p.setProperty("name", file.name());
        p.setProperty("sizeBytes", Long.toString(file.sizeBytes()));
        if (file.dataFormat() != null) {
            p.setProperty("dataFormat", file.dataFormat().wireName());
        }
        if (file.compressionFormat() != null) {
            p.setProperty("compressionFormat", file.compressionFormat().wireName());
        }
        p.setProperty("digest.algo", file.digest().algo());
        p.setProperty("digest.hash", file.digest().hash());
        p.setProperty("uploadedByUserId", file.uploadedByUserId());
        p.setProperty("uploadedOn", file.uploadedOn().toString());
        Documents.putPrefixed(p, STORE_PREFIX, storeAttributes);
        return Documents.bytes(p);
    }

    /**
     * Reads a record written by {@link #encode}.
     *
     * @throws IOException the bytes are not a record of a known version, or a field is missing or invalid
     */
    public static StoredFileRecord decode(byte[] bytes) throws IOException {
        Properties p = Documents.read(bytes, VERSION, "metadata");
        try {
            StoredFile file = new StoredFile(
                    UUID.fromString(p.getProperty("id")),
                    new FileKey(Documents.areaOf(p), p.getProperty("name")),
                    Long.parseLong(p.getProperty("sizeBytes")),
                    p.containsKey("dataFormat") ? DataFormat.fromWireName(p.getProperty("dataFormat")).orElseThrow() : null,
                    p.containsKey("compressionFormat")
                            ? CompressionFormat.fromWireName(p.getProperty("compressionFormat")).orElseThrow()
                            : null,
                    new Digest(p.getProperty("digest.algo"), p.getProperty("digest.hash")),
                    p.getProperty("uploadedByUserId"),
                    Instant.parse(p.getProperty("uploadedOn")));
            return new StoredFileRecord(file, Documents.prefixed(p, STORE_PREFIX));
        } catch (RuntimeException e) {
            throw new IOException("corrupt metadata: " + e.getMessage(), e);
        }
    }
}
