package dev.filestaging.storage.records;

import dev.filestaging.ports.CompressionFormat;
import dev.filestaging.ports.DataFormat;
import dev.filestaging.ports.out.DeclaredContent;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How an upload's client metadata and declared content are kept together as one map of strings (and that map as
 * bytes, for a catalog's column): the declarations under keys starting with {@code ':'}, which a tus client's
 * metadata keys never do. Every store written since resumable uploads exist keeps them this way, so it reads them
 * all back.
 */
public final class TicketMetadata {
    private static final String DATA_FORMAT = ":dataFormat";
    private static final String COMPRESSION = ":compressionFormat";
    private static final String MEDIA_TYPE = ":mediaType";
    private static final String KEEP_FOR = ":keepForSeconds";
    private static final String RESERVED = ":";

    /** The client's metadata and the declarations, split again. */
    public record Split(Map<String, String> client, DeclaredContent declared) {}

    private TicketMetadata() {
    }

    /** The client's metadata with the declarations added under their reserved keys. */
    public static Map<String, String> joined(Map<String, String> client, DeclaredContent declared) {
        Map<String, String> all = new LinkedHashMap<>(client);
        all.keySet().removeIf(key -> key.startsWith(RESERVED));
        if (declared.dataFormat() != null) {
            all.put(DATA_FORMAT, declared.dataFormat().wireName());
        }
        if (declared.compression() != null) {
            all.put(COMPRESSION, declared.compression().wireName());
        }
        if (declared.mediaType() != null) {
            all.put(MEDIA_TYPE, declared.mediaType());
        }
        if (declared.keepFor() != null) {
            all.put(KEEP_FOR, Long.toString(declared.keepFor().toSeconds()));
        }
        return all;
    }

    /**
     * Splits what {@link #joined} made. Reserved keys it does not know (an earlier version also kept the
     * organization, which the upload's key holds anyway) are dropped.
     */
    public static Split split(Map<String, String> stored) {
        Map<String, String> client = new HashMap<>(stored);
        client.keySet().removeIf(key -> key.startsWith(RESERVED));
        DeclaredContent declared = new DeclaredContent(
                DataFormat.fromWireName(stored.get(DATA_FORMAT)).orElse(null),
                CompressionFormat.fromWireName(stored.get(COMPRESSION)).orElse(null),
                stored.get(MEDIA_TYPE), keepFor(stored.get(KEEP_FOR)));
        return new Split(client, declared);
    }

    private static java.time.Duration keepFor(String seconds) {
        if (seconds == null) {
            return null;
        }
        try {
            return java.time.Duration.ofSeconds(Long.parseLong(seconds));
        } catch (NumberFormatException unreadable) {
            return null;
        }
    }

    /** A map as bytes: for each entry, key then value, each as its UTF-8 length (4 bytes) and its UTF-8 bytes. */
    public static byte[] bytes(Map<String, String> map) {
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

    /**
     * Reads what {@link #bytes} wrote.
     *
     * @throws IOException the bytes are not such a map
     */
    public static Map<String, String> map(byte[] bytes) throws IOException {
        Map<String, String> map = new LinkedHashMap<>();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            while (in.available() > 0) {
                map.put(readString(in), readString(in));
            }
        }
        return map;
    }

    private static void writeString(DataOutputStream out, String text) throws IOException {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static String readString(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
            throw new IOException("a string of " + length + " bytes where " + in.available() + " are left");
        }
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
}
