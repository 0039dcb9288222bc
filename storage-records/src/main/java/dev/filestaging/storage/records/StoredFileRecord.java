package dev.filestaging.storage.records;

import dev.filestaging.ports.CompressionFormat;
import dev.filestaging.ports.DataFormat;
import dev.filestaging.ports.Digest;
import dev.filestaging.ports.FileKey;
import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.ProjectId;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.StoredFile;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
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
        Properties p = new Properties();
        p.setProperty("version", VERSION);
        p.setProperty("id", file.id().toString());
        p.setProperty("organization", file.key().area().organization().value());
        p.setProperty("project", file.key().area().project().value());
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
        storeAttributes.forEach((name, value) -> p.setProperty(STORE_PREFIX + name, value));
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8)) {
            p.store(writer, null);
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        return out.toByteArray();
    }

    /**
     * Reads a record written by {@link #encode}.
     *
     * @throws IOException the bytes are not a record of a known version, or a field is missing or invalid
     */
    public static StoredFileRecord decode(byte[] bytes) throws IOException {
        Properties p = new Properties();
        p.load(new InputStreamReader(new ByteArrayInputStream(bytes), StandardCharsets.UTF_8));
        if (!VERSION.equals(p.getProperty("version"))) {
            throw new IOException("unknown metadata version " + p.getProperty("version"));
        }
        try {
            StagingArea area = new StagingArea(
                    new OrganizationId(p.getProperty("organization")), new ProjectId(p.getProperty("project")));
            StoredFile file = new StoredFile(
                    UUID.fromString(p.getProperty("id")),
                    new FileKey(area, p.getProperty("name")),
                    Long.parseLong(p.getProperty("sizeBytes")),
                    p.containsKey("dataFormat") ? DataFormat.fromWireName(p.getProperty("dataFormat")).orElseThrow() : null,
                    p.containsKey("compressionFormat")
                            ? CompressionFormat.fromWireName(p.getProperty("compressionFormat")).orElseThrow()
                            : null,
                    new Digest(p.getProperty("digest.algo"), p.getProperty("digest.hash")),
                    p.getProperty("uploadedByUserId"),
                    Instant.parse(p.getProperty("uploadedOn")));
            Map<String, String> attributes = new HashMap<>();
            for (String name : p.stringPropertyNames()) {
                if (name.startsWith(STORE_PREFIX)) {
                    attributes.put(name.substring(STORE_PREFIX.length()), p.getProperty(name));
                }
            }
            return new StoredFileRecord(file, attributes);
        } catch (RuntimeException e) {
            throw new IOException("corrupt metadata: " + e.getMessage(), e);
        }
    }
}
