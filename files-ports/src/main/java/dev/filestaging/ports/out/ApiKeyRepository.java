package dev.filestaging.ports.out;

import java.util.List;
import java.util.Optional;

/**
 * Where API keys are kept, by hash. Changes made by another process (a command-line tool adding a key) become
 * visible to {@link #findByHash} within a second.
 */
public interface ApiKeyRepository {

    Optional<ApiKeyRecord> findByHash(String keyHash);

    /** Stores the record durably; a record with the same hash is replaced. */
    void save(ApiKeyRecord record);

    List<ApiKeyRecord> all();
}
