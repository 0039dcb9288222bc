package dev.filestaging.adapter.s3;

import dev.filestaging.ports.out.ApiKeyRecord;
import dev.filestaging.ports.out.ApiKeyRepository;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * API keys in the bucket, one small object per key hash ({@code {prefix}api-keys/{hash}}), so every instance sharing
 * the bucket accepts every key and the command-line tool can add keys from anywhere. Look-ups are cached for a second
 * (found or not), which keeps a request from costing a bucket read while new keys still appear within a second.
 */
final class S3ApiKeyRepository implements ApiKeyRepository {

    private static final Duration CACHE_FOR = Duration.ofSeconds(1);
    private static final int CACHE_ENTRIES = 10_000;

    private record Lookup(Optional<ApiKeyRecord> record, Instant at) {}

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final Clock clock;
    private final Map<String, Lookup> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Lookup> eldest) {
            return size() > CACHE_ENTRIES;
        }
    };

    S3ApiKeyRepository(S3Client s3, String bucket, String prefix, Clock clock) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix;
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
        try {
            s3.putObject(b -> b.bucket(bucket).key(prefix + record.keyHash()).contentType("text/plain; charset=utf-8"),
                    RequestBody.fromString(record.toLine(), StandardCharsets.UTF_8));
        } catch (SdkException e) {
            throw S3Errors.translate("saving an API key", e);
        }
        synchronized (cache) {
            cache.remove(record.keyHash());
        }
    }

    @Override
    public List<ApiKeyRecord> all() {
        return NameRecords.objectsUnder(bucket, prefix, s3).stream()
                .map(object -> read(object.key().substring(prefix.length())))
                .flatMap(Optional::stream)
                .toList();
    }

    private Optional<ApiKeyRecord> read(String keyHash) {
        if (!keyHash.matches("[0-9a-f]{64}")) {
            return Optional.empty();
        }
        try {
            String line = s3.getObjectAsBytes(b -> b.bucket(bucket).key(prefix + keyHash)).asUtf8String();
            return Optional.of(ApiKeyRecord.fromLine(keyHash, line.strip()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (SdkException e) {
            if (S3Errors.isNotFound(e)) {
                return Optional.empty();
            }
            throw S3Errors.translate("reading an API key", e);
        }
    }
}
