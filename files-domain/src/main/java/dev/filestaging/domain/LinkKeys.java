package dev.filestaging.domain;

import dev.filestaging.ports.out.SmallRecordStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The HMAC keys of signed links, in the {@link SmallRecordStore} namespace {@value #NAMESPACE} beside the token signing
 * keys, so that every instance on the same storage verifies every other's links. The first instance to find none
 * creates one; two that do so at once each keep theirs, and both verify everywhere once read (a link naming a key
 * this instance has not seen makes it read the namespace again, at most once a second). The smallest key id signs, so
 * instances converge on one key.
 */
final class LinkKeys {
    static final String NAMESPACE = "link-keys";
    private static final Duration RELOAD_AT_MOST_EVERY = Duration.ofSeconds(1);

    private final SmallRecordStore records;
    private final Clock clock;
    private volatile TreeMap<String, byte[]> keys;
    private volatile Instant loadedAt;

    LinkKeys(SmallRecordStore records, Clock clock) {
        this.records = records;
        this.clock = clock;
        reload();
        if (keys.isEmpty()) {
            byte[] secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            records.write(NAMESPACE, "k" + UUID.randomUUID().toString().replace("-", ""),
                    Base64.getEncoder().encodeToString(secret));
            reload();
        }
    }

    /** The id and secret that sign new links. */
    Map.Entry<String, byte[]> signing() {
        return keys.firstEntry();
    }

    /** The secret of key {@code id}, reading storage again if this instance does not know it yet. */
    Optional<byte[]> secret(String id) {
        byte[] secret = keys.get(id);
        if (secret == null && clock.instant().isAfter(loadedAt.plus(RELOAD_AT_MOST_EVERY))) {
            reload();
            secret = keys.get(id);
        }
        return Optional.ofNullable(secret);
    }

    private synchronized void reload() {
        TreeMap<String, byte[]> loaded = new TreeMap<>();
        records.readAll(NAMESPACE).forEach((id, text) -> loaded.put(id, Base64.getDecoder().decode(text.strip())));
        keys = loaded;
        loadedAt = clock.instant();
    }
}
