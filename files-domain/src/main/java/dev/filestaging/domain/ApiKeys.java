package dev.filestaging.domain;

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

    @Override
    public AuthenticationOutcome authenticate(Credentials credentials) {
        String presented = credentials instanceof Credentials.ApiKey key
                ? key.secret()
                : ((Credentials.BearerToken) credentials).token();
        return repository.findByHash(ApiKeyHash.of(presented))
                .<AuthenticationOutcome>map(record -> new AuthenticationOutcome.Authenticated(
                        new Principal(record.organization(), record.serviceAccountId(), record.roles())))
                .orElseGet(() -> new AuthenticationOutcome.NotAuthenticated("the API key is not valid"));
    }
}
