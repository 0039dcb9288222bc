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
 * @param uploadedVia       how its bytes arrived; null for files staged before it was recorded
 * @param expiresAt         when it is removed by itself; null to keep it until it is deleted
 */
public record StoredFile(
        UUID id,
        FileKey key,
        long sizeBytes,
        DataFormat dataFormat,
        CompressionFormat compressionFormat,
        Digest digest,
        String uploadedByUserId,
        Instant uploadedOn,
        UploadMethod uploadedVia,
        Instant expiresAt) {

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

    /** A file kept until it is deleted, whose upload method is not recorded. */
    public StoredFile(UUID id, FileKey key, long sizeBytes, DataFormat dataFormat, CompressionFormat compressionFormat,
                      Digest digest, String uploadedByUserId, Instant uploadedOn) {
        this(id, key, sizeBytes, dataFormat, compressionFormat, digest, uploadedByUserId, uploadedOn, null, null);
    }

    /** This file, uploaded by {@code method}. */
    public StoredFile uploadedBy(UploadMethod method) {
        return new StoredFile(id, key, sizeBytes, dataFormat, compressionFormat, digest, uploadedByUserId, uploadedOn,
                method, expiresAt);
    }

    /** This file, expiring at {@code at} (null: never). */
    public StoredFile expiringAt(Instant at) {
        return new StoredFile(id, key, sizeBytes, dataFormat, compressionFormat, digest, uploadedByUserId, uploadedOn,
                uploadedVia, at);
    }

    /** Whether it has expired at {@code now}. */
    public boolean expiredAt(Instant now) {
        return expiresAt != null && !expiresAt.isAfter(now);
    }

    public String name() {
        return key.name();
    }
}
