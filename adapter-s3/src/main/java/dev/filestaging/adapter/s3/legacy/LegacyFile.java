package dev.filestaging.adapter.s3.legacy;

import dev.filestaging.ports.StoredFile;
import dev.filestaging.storage.records.StoredFileRecord;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;

/** A committed file of the legacy layout: its metadata, and the key of the object holding its bytes. */
public record LegacyFile(StoredFile file, String contentKey) {
    /** The attribute of a name record that names its content object. */
    private static final String CONTENT = "content";

    public LegacyFile {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(contentKey, "contentKey");
    }

    /**
     * The file a name record holds, or empty when the record is an open upload's reservation of the name.
     *
     * @throws IOException the bytes are neither
     */
    static Optional<LegacyFile> decode(String key, byte[] bytes) throws IOException {
        if (LegacyReservation.decode(bytes).isPresent()) {
            return Optional.empty();
        }
        StoredFileRecord record = StoredFileRecord.decode(bytes);
        String content = record.storeAttributes().get(CONTENT);
        if (content == null) {
            throw new IOException("name record " + key + " does not say where its content is");
        }
        return Optional.of(new LegacyFile(record.file(), content));
    }
}
