package dev.filestaging.domain.storage;

import dev.filestaging.ports.StoredFile;
import dev.filestaging.ports.out.StorageException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Optional store capability: short-lived URLs that read a file's bytes straight from the storage (an S3 presigned
 * GET), so that big deployments move no content through their instances.
 */
public interface DirectReads {

    /**
     * A URL that reads exactly the bytes of {@code file}'s version, honouring {@code Range}, without credentials, for
     * {@code lifetime}; the storage answers it with {@code responseHeaders} (such as {@code Content-Type} and
     * {@code Content-Disposition}) where it can. Empty when that version is no longer the committed one.
     *
     * @throws StorageException the storage cannot be asked now
     */
    Optional<URI> urlFor(StoredFile file, Duration lifetime, Map<String, String> responseHeaders);

    /** The committed version under a key and a URL that reads it. */
    record Located(StoredFile file, URI url) {}

    /**
     * The version committed under {@code key} now, with a URL as {@link #urlFor} gives, in one look-up of the key;
     * {@code responseHeaders} are made from that version. Empty when there is no file under the key.
     *
     * @throws StorageException the storage cannot be asked now
     */
    Optional<Located> current(dev.filestaging.ports.FileKey key, Duration lifetime,
                              java.util.function.Function<StoredFile, Map<String, String>> responseHeaders);
}
