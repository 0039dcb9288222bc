package dev.filestaging.domain.credentials;

import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.Role;
import dev.filestaging.ports.out.OAuthClientRecord;
import dev.filestaging.ports.out.SmallRecordStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The built-in issuer's OAuth clients: created with a random secret shown once, kept as a SHA-256 of it, revocable.
 * Records live in the {@link SmallRecordStore} namespace {@value #NAMESPACE}, one per client id.
 */
public final class OAuthClients {

    static final String NAMESPACE = "oauth-clients";
    /** A declared secret shorter than this is refused: it could be guessed. */
    public static final int MIN_SECRET_LENGTH = 16;

    private final SmallRecordStore store;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public OAuthClients(SmallRecordStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** A client as created: the secret is in here once, and nowhere else. */
    public record IssuedClient(String clientId, String secret, OAuthClientRecord record) {
        @Override
        public String toString() {
            return "IssuedClient[clientId=" + clientId + ", secret=***]";
        }
    }

    public IssuedClient create(OrganizationId organization, Set<Role> roles) {
        String clientId = "client-" + randomText(9);
        String secret = randomText(32);
        OAuthClientRecord record = new OAuthClientRecord(clientId, hash(secret), UUID.randomUUID().toString(),
                organization, roles, clock.instant(), false);
        store.write(NAMESPACE, clientId, record.toLine());
        return new IssuedClient(clientId, secret, record);
    }

    /**
     * Makes sure a client declared in the configuration exists with this secret, organization and roles; keeps its
     * service account across restarts. A revoked client stays revoked.
     */
    public OAuthClientRecord declare(String clientId, String secret, OrganizationId organization, Set<Role> roles) {
        if (secret.length() < MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException("the secret of OAuth client " + clientId + " must be at least "
                    + MIN_SECRET_LENGTH + " characters");
        }
        Optional<OAuthClientRecord> existing = find(clientId);
        OAuthClientRecord record = new OAuthClientRecord(clientId, hash(secret),
                existing.map(OAuthClientRecord::serviceAccountId).orElseGet(() -> UUID.randomUUID().toString()),
                organization, roles, existing.map(OAuthClientRecord::createdOn).orElseGet(clock::instant),
                existing.map(OAuthClientRecord::revoked).orElse(false));
        if (!existing.equals(Optional.of(record))) {
            store.write(NAMESPACE, clientId, record.toLine());
        }
        return record;
    }

    public Optional<OAuthClientRecord> find(String clientId) {
        if (clientId == null || !SmallRecordStore.NAME.matcher(clientId).matches()) {
            return Optional.empty();
        }
        return store.read(NAMESPACE, clientId).map(line -> OAuthClientRecord.fromLine(clientId, line));
    }

    public List<OAuthClientRecord> all() {
        return store.readAll(NAMESPACE).entrySet().stream()
                .map(e -> OAuthClientRecord.fromLine(e.getKey(), e.getValue()))
                .sorted(Comparator.comparing(OAuthClientRecord::createdOn))
                .toList();
    }

    /** Revokes a client: its secret no longer gets tokens. Returns false when there is no such client. */
    public boolean revoke(String clientId) {
        Optional<OAuthClientRecord> existing = find(clientId);
        existing.ifPresent(record -> store.write(NAMESPACE, clientId, record.revoke().toLine()));
        return existing.isPresent();
    }

    /** The active client with this id and secret; the comparison takes the same time whatever the secret. */
    Optional<OAuthClientRecord> authenticate(String clientId, String secret) {
        Optional<OAuthClientRecord> record = find(clientId);
        byte[] presented = HexFormat.of().parseHex(hash(secret == null ? "" : secret));
        byte[] expected = HexFormat.of().parseHex(record.map(OAuthClientRecord::secretHash).orElse("0".repeat(64)));
        boolean matches = MessageDigest.isEqual(presented, expected);
        return record.filter(r -> matches && !r.revoked());
    }

    private String randomText(int bytes) {
        byte[] value = new byte[bytes];
        random.nextBytes(value);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
    }

    private static String hash(String secret) {
        return ApiKeyHash.of(secret);
    }

}
