package dev.filestaging.ports.out;

import dev.filestaging.ports.FileKey;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a store keeps of a resumable upload besides its bytes: where it will be staged, how long it will be, what
 * the client said about it, who sends it and until when it may take.
 *
 * @param id         random, URL-safe, {@link #ID}
 * @param length     the declared length in bytes, or {@link #DEFERRED} until the client says it
 * @param metadata   the client's metadata (tus {@code Upload-Metadata}), decoded; at most a few kilobytes
 * @param declared   what the client declared about the content besides (formats, media type)
 * @param uploadedBy the service account that created the upload
 */
public record UploadTicket(String id, FileKey key, long length, Map<String, String> metadata,
                           DeclaredContent declared, String uploadedBy, Instant created, Instant expires) {

    public static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{16,64}");
    public static final long DEFERRED = -1;

    public UploadTicket {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(declared, "declared");
        Objects.requireNonNull(uploadedBy, "uploadedBy");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(expires, "expires");
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("an upload id is 16-64 characters of [A-Za-z0-9_-], got " + id);
        }
        if (length < DEFERRED) {
            throw new IllegalArgumentException("length must be 0 or more, or DEFERRED");
        }
        metadata = Map.copyOf(metadata);
    }

    /** The least an upload whose length is deferred holds of its area's quota. */
    public static final long DEFERRED_MINIMUM_HOLD = 64 * 1024;

    /**
     * What this upload holds against its area's quota when {@code offset} of its bytes are durable: its declared
     * length, or while its length is deferred what it holds so far, and at least {@link #DEFERRED_MINIMUM_HOLD} (so
     * that open uploads without bytes are bounded by the quota too, not only by their number).
     */
    public long heldAt(long offset) {
        return lengthDeferred() ? Math.max(offset, DEFERRED_MINIMUM_HOLD) : length;
    }

    public boolean lengthDeferred() {
        return length == DEFERRED;
    }

    public UploadTicket withLength(long declaredLength) {
        return new UploadTicket(id, key, declaredLength, metadata, declared, uploadedBy, created, expires);
    }

    public UploadTicket withExpiry(Instant at) {
        return new UploadTicket(id, key, length, metadata, declared, uploadedBy, created, at);
    }
}
