package dev.filestaging.adapter.oidc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.filestaging.ports.out.SmallRecordStore;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The built-in issuer's signing keys (EC P-256, ES256), kept as JWKs in the {@link SmallRecordStore} namespace
 * {@value #NAMESPACE} so every process on the same storage signs and verifies with the same keys. Key ids start with
 * their creation time, so the newest key is the one that signs; older keys stay published, so tokens they signed
 * stay valid until they expire. Reloaded from storage when a token names a key this process does not know yet (a
 * rotation by another process), at most every few seconds.
 */
final class SigningKeys {

    static final String NAMESPACE = "signing-keys";
    private static final Duration RELOAD_AT_MOST_EVERY = Duration.ofSeconds(5);
    private static final DateTimeFormatter KID_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);

    private final SmallRecordStore store;
    private final Clock clock;
    private volatile List<ECKey> keys;
    private volatile Instant loadedAt;

    SigningKeys(SmallRecordStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
        reload();
        if (keys.isEmpty()) {
            rotate();
        }
    }

    /** Creates a new signing key; it signs from now on, the old ones keep verifying. */
    synchronized ECKey rotate() {
        try {
            Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
            if (!keys.isEmpty()) {
                // Key ids must sort in creation order, even for two rotations within one millisecond.
                String newestId = keys.get(keys.size() - 1).getKeyID();
                Instant newest = Instant.from(KID_TIME.parse(newestId.substring(0, newestId.indexOf('-'))));
                if (!now.isAfter(newest)) {
                    now = newest.plusMillis(1);
                }
            }
            ECKey key = new ECKeyGenerator(Curve.P_256)
                    .keyUse(KeyUse.SIGNATURE)
                    .keyID(KID_TIME.format(now) + "-" + UUID.randomUUID().toString().substring(0, 8))
                    .issueTime(java.util.Date.from(now))
                    .generate();
            store.write(NAMESPACE, key.getKeyID(), key.toJSONString());
            reload();
            return key;
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate an EC P-256 key", e);
        }
    }

    /** The key that signs: the newest. */
    ECKey current() {
        List<ECKey> all = keys;
        return all.get(all.size() - 1);
    }

    /** The public halves of every key, for the JWKS endpoint and for verification. */
    JWKSet publicKeys() {
        return new JWKSet(keys.stream().map(key -> (JWK) key.toPublicJWK()).toList());
    }

    /** Reloads if a token names a key we do not have, unless we reloaded a moment ago. */
    void reloadIfUnknown(String keyId) {
        if (keyId != null && keys.stream().noneMatch(k -> keyId.equals(k.getKeyID()))
                && loadedAt.plus(RELOAD_AT_MOST_EVERY).isBefore(clock.instant())) {
            reload();
        }
    }

    private synchronized void reload() {
        List<ECKey> loaded = new ArrayList<>();
        for (Map.Entry<String, String> record : store.readAll(NAMESPACE).entrySet()) {
            try {
                loaded.add(ECKey.parse(record.getValue()));
            } catch (ParseException e) {
                throw new IllegalStateException("signing key " + record.getKey() + " is corrupt: " + e.getMessage(), e);
            }
        }
        loaded.sort(Comparator.comparing(ECKey::getKeyID));
        keys = List.copyOf(loaded);
        loadedAt = clock.instant();
    }
}
