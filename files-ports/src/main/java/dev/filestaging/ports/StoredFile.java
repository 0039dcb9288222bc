package dev.filestaging.ports;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A staged file's metadata, immutable once committed.
 *
 * @param dataFormat        null when neither the client nor detection could tell
 * @param compressionFormat null for uncompressed content
 * @param uploadedByUserId  the service account that uploaded it
 */
public record StoredFile(
        UUID id,
        FileKey key,
        long sizeBytes,
        DataFormat dataFormat,
        CompressionFormat compressionFormat,
        Digest digest,
        String uploadedByUserId,
        Instant uploadedOn) {

    public StoredFile {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(uploadedByUserId, "uploadedByUserId");
        Objects.requireNonNull(uploadedOn, "uploadedOn");
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("size must not be negative");
        }
    }

    public String name() {
        return key.name();
    }
}
