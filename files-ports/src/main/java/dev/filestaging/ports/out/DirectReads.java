package dev.filestaging.ports.out;

import dev.filestaging.ports.StoredFile;
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
}
