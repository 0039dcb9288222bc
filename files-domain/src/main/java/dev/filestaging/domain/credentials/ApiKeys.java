package dev.filestaging.domain.credentials;

import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.Principal;
import dev.filestaging.ports.Role;
import dev.filestaging.ports.in.Authenticate;
import dev.filestaging.ports.in.AuthenticationOutcome;
import dev.filestaging.ports.in.Credentials;
import dev.filestaging.ports.out.ApiKeyRecord;
import dev.filestaging.ports.out.ApiKeyRepository;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Issues API keys and authenticates callers by them. Keys are sent as {@code Bearer <key>} or as Basic user name. */
public final class ApiKeys implements Authenticate {

    /** Recognisable in logs and secret scanners, like other vendors' key prefixes. */
    public static final String PREFIX = "fsk_";
    /** A configured key shorter than this is refused: it could be guessed. */
    public static final int MIN_CONFIGURED_LENGTH = 16;

    private final ApiKeyRepository repository;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public ApiKeys(ApiKeyRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    /** A key shown once to its owner; only its hash is kept. */
    public record IssuedKey(String secret, ApiKeyRecord record) {
        @Override
        public String toString() {
            return "IssuedKey[secret=***, record=" + record + "]";
        }
    }

    public IssuedKey issue(OrganizationId organization, Set<Role> roles) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        return new IssuedKey(secret, register(secret, UUID.randomUUID().toString(), organization, roles));
    }

    /**
     * Makes sure {@code secret} is a key of {@code organization} with at least {@code roles}; used for the operator's
     * bootstrap key. Keeps the service account of an existing key, so uploads stay attributed to it across restarts.
     */
    public ApiKeyRecord ensure(String secret, OrganizationId organization, Set<Role> roles) {
        if (secret.length() < MIN_CONFIGURED_LENGTH) {
            throw new IllegalArgumentException("an API key must be at least " + MIN_CONFIGURED_LENGTH + " characters");
        }
        Optional<ApiKeyRecord> existing = repository.findByHash(ApiKeyHash.of(secret));
        if (existing.isPresent() && existing.get().revoked()) {
            return existing.get(); // a revoked key is never brought back by configuration
        }
        if (existing.isPresent() && existing.get().organization().equals(organization)
                && existing.get().roles().containsAll(roles)) {
            return existing.get();
        }
        // an existing key keeps its service account, so uploads stay attributed to it across restarts
        return register(secret, existing.map(ApiKeyRecord::serviceAccountId).orElseGet(() -> UUID.randomUUID().toString()),
                organization, roles);
    }

    private ApiKeyRecord register(String secret, String serviceAccount, OrganizationId organization, Set<Role> roles) {
        ApiKeyRecord record = new ApiKeyRecord(ApiKeyHash.of(secret), serviceAccount, organization, roles, clock.instant());
        repository.save(record);
        return record;
    }

    /** What revoking by an id or its prefix found. */
    public sealed interface Revocation {
        record Revoked(ApiKeyRecord record) implements Revocation {}

        record NotFound() implements Revocation {}

        record Ambiguous(List<String> ids) implements Revocation {}
    }

    /**
     * Revokes the key whose id (its service account) is {@code idOrPrefix} or starts with it (at least 8 characters,
     * as {@code api-key list} shows them). Every process sees it within a second; the key's record stays.
     */
    public Revocation revoke(String idOrPrefix) {
        List<ApiKeyRecord> matches = repository.all().stream()
                .filter(r -> r.serviceAccountId().equals(idOrPrefix)
                        || (idOrPrefix.length() >= 8 && r.serviceAccountId().startsWith(idOrPrefix)))
                .toList();
        if (matches.isEmpty()) {
            return new Revocation.NotFound();
        }
        if (matches.size() > 1) {
            return new Revocation.Ambiguous(matches.stream().map(ApiKeyRecord::serviceAccountId).sorted().toList());
        }
        ApiKeyRecord revoked = matches.get(0).revoke();
        repository.save(revoked);
        return new Revocation.Revoked(revoked);
    }

    @Override
    public AuthenticationOutcome authenticate(Credentials credentials) {
        String presented = credentials instanceof Credentials.ApiKey key
                ? key.secret()
                : ((Credentials.BearerToken) credentials).token();
        return repository.findByHash(ApiKeyHash.of(presented))
                .filter(record -> !record.revoked())
                .<AuthenticationOutcome>map(record -> new AuthenticationOutcome.Authenticated(
                        new Principal(record.organization(), record.serviceAccountId(), record.roles())))
                .orElseGet(() -> new AuthenticationOutcome.NotAuthenticated("the API key is not valid"));
    }
}
