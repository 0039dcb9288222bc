package dev.filestaging.ports.out;

import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link StagingStore} offers beyond its core contract, discovered here rather than by type checks, so that a
 * capability can depend on configuration (an S3 store hands out direct reads only when told to) and callers handle
 * its absence in one obvious place.
 *
 * @param directReads       URLs of the storage itself that readers can fetch bytes from, bypassing this service
 * @param resumableUploads  uploads whose bytes and offset outlive the request and the process
 */
public record StoreCapabilities(Optional<DirectReads> directReads, Optional<ResumableUploads> resumableUploads) {
    /** The core contract only. */
    public static final StoreCapabilities NONE = new StoreCapabilities(Optional.empty(), Optional.empty());

    public StoreCapabilities {
        Objects.requireNonNull(directReads, "directReads");
        Objects.requireNonNull(resumableUploads, "resumableUploads");
    }

    public StoreCapabilities withDirectReads(DirectReads reads) {
        return new StoreCapabilities(Optional.of(reads), resumableUploads);
    }

    public StoreCapabilities withResumableUploads(ResumableUploads uploads) {
        return new StoreCapabilities(directReads, Optional.of(uploads));
    }
}
