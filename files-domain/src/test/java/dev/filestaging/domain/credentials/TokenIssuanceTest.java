package dev.filestaging.domain.credentials;

import dev.filestaging.ports.fixtures.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.Role;
import dev.filestaging.ports.fixtures.InMemorySmallRecordStore;
import dev.filestaging.ports.in.TokenOutcome;
import dev.filestaging.ports.in.TokenRequest;
import dev.filestaging.ports.out.AccessTokenClaims;
import dev.filestaging.ports.out.TokenSigner;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokenIssuanceTest {

    private static final OrganizationId ACME = new OrganizationId("acme");
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final InMemorySmallRecordStore store = new InMemorySmallRecordStore();
    private final OAuthClients clients = new OAuthClients(store, clock);
    private final RecordingSigner signer = new RecordingSigner();
    private final TokenIssuance issuer = new TokenIssuance(clients, signer, clock, Duration.ofMinutes(5),
            "https://files.example.com/");

    /** Signs nothing: records the claims it was asked to sign, to check what the domain put in them. */
    static final class RecordingSigner implements TokenSigner {
        final List<AccessTokenClaims> signed = new ArrayList<>();

        @Override
        public String sign(AccessTokenClaims claims) {
            signed.add(claims);
            return "token-" + signed.size();
        }

        @Override
        public String publicKeysJson() {
            return "{\"keys\":[]}";
        }
    }

    private TokenOutcome request(String realm, String clientId, String secret) {
        return request(realm, clientId, secret, "192.0.2.1");
    }

    private TokenOutcome request(String realm, String clientId, String secret, String source) {
        return issuer.issue(new TokenRequest(realm, "client_credentials", clientId, secret, source));
    }

    @Test
    void a_client_gets_a_token_of_its_organization_roles_and_service_account_for_the_configured_lifetime() {
        OAuthClients.IssuedClient client = clients.create(ACME, Set.of(Role.READ_FILES));

        TokenOutcome outcome = request("acme", client.clientId(), client.secret());

        assertThat(outcome).isEqualTo(new TokenOutcome.Issued("token-1", 300));
        AccessTokenClaims claims = signer.signed.get(0);
        assertThat(claims.issuer()).isEqualTo("https://files.example.com/auth/realms/acme");
        assertThat(claims.organization()).isEqualTo(ACME);
        assertThat(claims.subject()).isEqualTo(client.record().serviceAccountId());
        assertThat(claims.roles()).containsExactly(Role.READ_FILES);
        assertThat(claims.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(5)));
    }

    @Test
    void wrong_secrets_other_realms_revoked_clients_and_other_grants_get_no_token() {
        OAuthClients.IssuedClient client = clients.create(ACME, Set.of(Role.MANAGE_FILES));

        assertThat(request("acme", client.clientId(), client.secret() + "x")).isInstanceOf(TokenOutcome.InvalidClient.class);
        assertThat(request("globex", client.clientId(), client.secret())).isInstanceOf(TokenOutcome.InvalidClient.class);
        assertThat(request("acme", "client-unknown", client.secret())).isInstanceOf(TokenOutcome.InvalidClient.class);
        assertThat(issuer.issue(new TokenRequest("acme", "password", client.clientId(), client.secret(), "192.0.2.1")))
                .isEqualTo(new TokenOutcome.UnsupportedGrantType("password"));
        assertThat(issuer.issue(new TokenRequest("acme", null, client.clientId(), client.secret(), "192.0.2.1")))
                .isInstanceOf(TokenOutcome.InvalidRequest.class);
        assertThat(request("acme", client.clientId(), null)).isInstanceOf(TokenOutcome.InvalidRequest.class);

        assertThat(clients.revoke(client.clientId())).isTrue();
        assertThat(request("acme", client.clientId(), client.secret())).isInstanceOf(TokenOutcome.InvalidClient.class);
        assertThat(signer.signed).isEmpty();
    }

    @Test
    void after_five_failures_a_source_must_wait_even_with_the_right_secret_but_the_client_elsewhere_need_not() {
        OAuthClients.IssuedClient client = clients.create(ACME, Set.of(Role.MANAGE_FILES));
        for (int i = 0; i < TokenIssuance.MAX_FAILURES; i++) {
            assertThat(request("acme", client.clientId(), "guess-" + i, "198.51.100.7"))
                    .isInstanceOf(TokenOutcome.InvalidClient.class);
        }

        assertThat(request("acme", client.clientId(), client.secret(), "198.51.100.7"))
                .isEqualTo(new TokenOutcome.TooManyAttempts(TokenIssuance.FAILURE_WINDOW));
        assertThat(request("acme", "another-client", "guess", "198.51.100.7"))
                .as("the source, whatever client it names").isInstanceOf(TokenOutcome.TooManyAttempts.class);
        assertThat(request("acme", client.clientId(), client.secret(), "192.0.2.1"))
                .as("the real client, from where it runs").isInstanceOf(TokenOutcome.Issued.class);

        clock.advance(TokenIssuance.FAILURE_WINDOW.plusSeconds(1));
        assertThat(request("acme", client.clientId(), client.secret(), "198.51.100.7"))
                .isInstanceOf(TokenOutcome.Issued.class);
    }

    @Test
    void failures_from_any_number_of_sources_keep_a_bounded_record() {
        OAuthClients.IssuedClient client = clients.create(ACME, Set.of(Role.MANAGE_FILES));
        long started = System.nanoTime();

        for (int i = 0; i < 3 * AttemptLimiter.TRACKED_KEYS; i++) {
            request("acme", client.clientId(), "guess", "source-" + i);
        }

        assertThat(issuer.trackedSources()).isEqualTo(AttemptLimiter.TRACKED_KEYS);
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        for (int i = 0; i < 10 * TokenIssuance.MAX_FAILURES; i++) {
            request("acme", client.clientId(), "guess", "198.51.100.7");
        }
        assertThat(issuer.trackedSources()).isEqualTo(AttemptLimiter.TRACKED_KEYS);
        assertThat(request("acme", client.clientId(), client.secret(), "192.0.2.99"))
                .as("successes record nothing").isInstanceOf(TokenOutcome.Issued.class);
        assertThat(issuer.trackedSources()).isEqualTo(AttemptLimiter.TRACKED_KEYS);
    }

    @Test
    void secrets_are_stored_only_as_hashes_and_shown_only_in_the_created_client() {
        OAuthClients.IssuedClient client = clients.create(ACME, Set.of(Role.MANAGE_FILES));

        String stored = store.read("oauth-clients", client.clientId()).orElseThrow();
        assertThat(stored).doesNotContain(client.secret()).contains(ApiKeyHash.of(client.secret()));
        assertThat(client.toString()).doesNotContain(client.secret());
        assertThat(new TokenRequest("acme", "client_credentials", "c", client.secret(), "192.0.2.1").toString())
                .doesNotContain(client.secret());
    }

    @Test
    void a_declared_client_keeps_its_service_account_and_a_short_secret_is_refused() {
        var first = clients.declare("ingest-bot", "a-long-enough-secret", ACME, Set.of(Role.MANAGE_FILES));
        var again = clients.declare("ingest-bot", "another-long-secret!", ACME, Set.of(Role.READ_FILES));

        assertThat(again.serviceAccountId()).isEqualTo(first.serviceAccountId());
        assertThat(request("acme", "ingest-bot", "another-long-secret!")).isInstanceOf(TokenOutcome.Issued.class);
        assertThat(signer.signed.get(0).roles()).containsExactly(Role.READ_FILES);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> clients.declare("weak", "short", ACME, Set.of(Role.MANAGE_FILES)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
