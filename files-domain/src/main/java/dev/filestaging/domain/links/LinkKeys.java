package dev.filestaging.domain.links;

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
 * instances converge on one key. {@link #rotate} revokes every key (its record is overwritten with {@value #REVOKED},
 * since records are never deleted) and writes a new one: every link made before dies, on every instance within
 * {@link #RELOAD_EVERY}.
 */
final class LinkKeys {
    static final String NAMESPACE = "link-keys";
    private static final Duration RELOAD_AT_MOST_EVERY = Duration.ofSeconds(1);
    /** How soon a rotation made elsewhere (another instance, the CLI) takes effect here. */
    static final Duration RELOAD_EVERY = Duration.ofSeconds(30);
    static final String REVOKED = "revoked";

    private final SmallRecordStore records;
    private final Clock clock;
    private volatile TreeMap<String, byte[]> keys;
    private volatile Instant loadedAt;

    LinkKeys(SmallRecordStore records, Clock clock) {
        this.records = records;
        this.clock = clock;
        reload();
        if (keys.isEmpty()) {
            writeNewKey(records);
            reload();
        }
    }

    /** Revokes every key and writes a new one; returns its id. Links signed before stop verifying. */
    static String rotate(SmallRecordStore records) {
        records.readAll(NAMESPACE).keySet().forEach(id -> records.write(NAMESPACE, id, REVOKED));
        return writeNewKey(records);
    }

    private static String writeNewKey(SmallRecordStore records) {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        String id = "k" + UUID.randomUUID().toString().replace("-", "");
        records.write(NAMESPACE, id, Base64.getEncoder().encodeToString(secret));
        return id;
    }

    /**
     * The id and secret that sign new links. The keys are read again first when the last read is over a second old:
     * a link signed by a key revoked since (by a rotation elsewhere) would be made, answered 201, and die at the next
     * reload.
     */
    Map.Entry<String, byte[]> signing() {
        if (keys.isEmpty() || clock.instant().isAfter(loadedAt.plus(RELOAD_AT_MOST_EVERY))) {
            reload();
        }
        return keys.firstEntry();
    }

    /** The secret of key {@code id}, reading storage again if this instance does not know it yet. */
    Optional<byte[]> secret(String id) {
        reloadIfOld();
        byte[] secret = keys.get(id);
        if (secret == null && clock.instant().isAfter(loadedAt.plus(RELOAD_AT_MOST_EVERY))) {
            reload();
            secret = keys.get(id);
        }
        return Optional.ofNullable(secret);
    }

    private void reloadIfOld() {
        if (clock.instant().isAfter(loadedAt.plus(RELOAD_EVERY))) {
            reload();
        }
    }

    private synchronized void reload() {
        TreeMap<String, byte[]> loaded = new TreeMap<>();
        records.readAll(NAMESPACE).forEach((id, text) -> {
            if (!text.strip().equals(REVOKED)) {
                loaded.put(id, Base64.getDecoder().decode(text.strip()));
            }
        });
        keys = loaded;
        loadedAt = clock.instant();
    }
}
