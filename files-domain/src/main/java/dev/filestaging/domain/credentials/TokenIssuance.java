package dev.filestaging.domain.credentials;

import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.in.IssueToken;
import dev.filestaging.ports.in.TokenOutcome;
import dev.filestaging.ports.in.TokenRequest;
import dev.filestaging.ports.out.AccessTokenClaims;
import dev.filestaging.ports.out.OAuthClientRecord;
import dev.filestaging.ports.out.TokenSigner;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The built-in issuer: client-credentials grant only, realms are organizations, tokens are short-lived signed JWTs.
 * Failed attempts are limited per source (5 a minute), so secrets cannot be guessed at network speed. Not per client
 * id: client ids are public (every token carries one in {@code azp}), and anyone could then lock a client out by
 * failing in its name. Secrets are 256-bit random, so guessing from many sources at 5 a minute each is hopeless too.
 */
public final class TokenIssuance implements IssueToken {

    public static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(5);
    static final int MAX_FAILURES = 5;
    static final Duration FAILURE_WINDOW = Duration.ofMinutes(1);

    private final OAuthClients clients;
    private final TokenSigner signer;
    private final Clock clock;
    private final Duration lifetime;
    private final String publicBaseUrl;
    private final AttemptLimiter limiter;

    /**
     * @param publicBaseUrl how clients reach this service ({@code https://files.example.com}); issuers are
     *                      {@code {publicBaseUrl}/auth/realms/{organization}}
     */
    public TokenIssuance(OAuthClients clients, TokenSigner signer, Clock clock, Duration lifetime, String publicBaseUrl) {
        this.clients = clients;
        this.signer = signer;
        this.clock = clock;
        this.lifetime = lifetime;
        this.publicBaseUrl = publicBaseUrl.endsWith("/")
                ? publicBaseUrl.substring(0, publicBaseUrl.length() - 1) : publicBaseUrl;
        this.limiter = new AttemptLimiter(MAX_FAILURES, FAILURE_WINDOW, clock);
    }

    /** How many sources have failures on record: at most {@link AttemptLimiter#TRACKED_KEYS}, whoever fails. */
    int trackedSources() {
        return limiter.tracked();
    }

    @Override
    public TokenOutcome issue(TokenRequest request) {
        if (request.grantType() == null || request.grantType().isBlank()) {
            return new TokenOutcome.InvalidRequest("grant_type is required");
        }
        if (!"client_credentials".equals(request.grantType())) {
            return new TokenOutcome.UnsupportedGrantType(request.grantType());
        }
        if (request.clientId() == null || request.clientId().isBlank() || request.clientSecret() == null) {
            return new TokenOutcome.InvalidRequest("client_id and client_secret are required");
        }
        Optional<Duration> wait = limiter.waitFor(request.source());
        if (wait.isPresent()) {
            return new TokenOutcome.TooManyAttempts(wait.get());
        }
        Optional<OAuthClientRecord> client = clients.authenticate(request.clientId(), request.clientSecret())
                .filter(c -> c.organization().value().equals(request.realm()));
        if (client.isEmpty()) {
            limiter.failed(request.source());
            return new TokenOutcome.InvalidClient("unknown client, wrong secret, or a client of another realm");
        }
        Instant now = clock.instant();
        OAuthClientRecord record = client.get();
        String token = signer.sign(new AccessTokenClaims(issuerOf(record.organization().value()),
                record.serviceAccountId(), record.clientId(), record.organization(), record.roles(), now,
                now.plus(lifetime)));
        return new TokenOutcome.Issued(token, lifetime.toSeconds());
    }

    @Override
    public String issuerOf(String realm) {
        return publicBaseUrl + "/auth/realms/" + new OrganizationId(realm).value();
    }

    @Override
    public String publicKeysJson() {
        return signer.publicKeysJson();
    }
}
