package dev.filestaging.adapter.s3;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Properties;

/**
 * A name held by the resumable upload {@code uploadId} until it commits (the record is then replaced by the file's),
 * is terminated or expires. Readers of staged files treat the name as free of files; uploads of it are refused.
 */
record NameReservation(String key, String uploadId) implements NameEntry {
    /** Marks the document, so it is never mistaken for a file's record. */
    private static final String RESERVED_BY = "reservedBy";

    byte[] encode() {
        Properties p = new Properties();
        p.setProperty("version", "1");
        p.setProperty(RESERVED_BY, uploadId);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8)) {
            p.store(writer, null);
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        return out.toByteArray();
    }

    /** The reservation these bytes are, or empty when they are something else (a file's record). */
    static Optional<NameReservation> decode(String key, byte[] bytes) {
        Properties p = new Properties();
        try {
            p.load(new InputStreamReader(new ByteArrayInputStream(bytes), StandardCharsets.UTF_8));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
        return Optional.ofNullable(p.getProperty(RESERVED_BY)).map(id -> new NameReservation(key, id));
    }
}
