package dev.filestaging.domain.credentials;

import dev.filestaging.ports.out.ApiKeyRecord;
import dev.filestaging.ports.out.ApiKeyRepository;
import dev.filestaging.ports.out.SmallRecordStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * API keys as small records, one per key hash in namespace {@value #NAMESPACE}, kept where the files are (the data
 * directory, the bucket): every process sharing the storage accepts every key, and the command-line tool adds keys
 * while servers run. Look-ups are cached for a second (found or not), which keeps a request from costing a storage
 * read while new keys still appear within a second.
 */
public final class ApiKeyRecords implements ApiKeyRepository {

    public static final String NAMESPACE = "api-keys";
    private static final Duration CACHE_FOR = Duration.ofSeconds(1);
    private static final int CACHE_ENTRIES = 10_000;

    private record Lookup(Optional<ApiKeyRecord> record, Instant at) {}

    private final SmallRecordStore records;
    private final Clock clock;
    private final Map<String, Lookup> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Lookup> eldest) {
            return size() > CACHE_ENTRIES;
        }
    };

    /** @param records where namespace {@value #NAMESPACE} holds the keys */
    public ApiKeyRecords(SmallRecordStore records, Clock clock) {
        this.records = records;
        this.clock = clock;
    }

    @Override
    public Optional<ApiKeyRecord> findByHash(String keyHash) {
        Instant now = clock.instant();
        synchronized (cache) {
            Lookup cached = cache.get(keyHash);
            if (cached != null && cached.at().plus(CACHE_FOR).isAfter(now)) {
                return cached.record();
            }
        }
        Optional<ApiKeyRecord> record = read(keyHash);
        synchronized (cache) {
            cache.put(keyHash, new Lookup(record, now));
        }
        return record;
    }

    @Override
    public void save(ApiKeyRecord record) {
        records.write(NAMESPACE, record.keyHash(), record.toLine());
        synchronized (cache) {
            cache.remove(record.keyHash());
        }
    }

    @Override
    public List<ApiKeyRecord> all() {
        return records.readAll(NAMESPACE).entrySet().stream()
                .map(e -> ApiKeyRecord.fromLine(e.getKey(), e.getValue().strip()))
                .toList();
    }

    private Optional<ApiKeyRecord> read(String keyHash) {
        if (!keyHash.matches("[0-9a-f]{64}")) {
            return Optional.empty();
        }
        return records.read(NAMESPACE, keyHash).map(line -> ApiKeyRecord.fromLine(keyHash, line.strip()));
    }
}
