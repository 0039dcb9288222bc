package dev.filestaging.ports.out;

import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link StagingStore} offers beyond its core contract, discovered here rather than by type checks, so that a
 * capability can depend on configuration (an S3 store hands out direct reads only when told to) and callers handle
 * its absence in one obvious place.
 *
 * @param directReads URLs of the storage itself that readers can fetch bytes from, bypassing this service
 */
public record StoreCapabilities(Optional<DirectReads> directReads) {
    /** The core contract only. */
    public static final StoreCapabilities NONE = new StoreCapabilities(Optional.empty());

    public StoreCapabilities {
        Objects.requireNonNull(directReads, "directReads");
    }
}
