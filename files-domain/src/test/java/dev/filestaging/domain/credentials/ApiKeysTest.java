package dev.filestaging.domain.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.Principal;
import dev.filestaging.ports.Role;
import dev.filestaging.ports.fixtures.InMemoryApiKeyRepository;
import dev.filestaging.ports.in.AuthenticationOutcome;
import dev.filestaging.ports.in.Credentials;
import dev.filestaging.ports.out.ApiKeyRecord;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeysTest {
    private static final OrganizationId ACME = new OrganizationId("acme");

    private final InMemoryApiKeyRepository repository = new InMemoryApiKeyRepository();
    private final ApiKeys keys = new ApiKeys(repository, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));

    @Test
    void an_issued_key_authenticates_as_its_service_account_by_bearer_or_basic() {
        ApiKeys.IssuedKey issued = keys.issue(ACME, Set.of(Role.MANAGE_FILES));
        Principal expected = new Principal(ACME, issued.record().serviceAccountId(), Set.of(Role.MANAGE_FILES));

        assertThat(keys.authenticate(new Credentials.BearerToken(issued.secret())))
                .isEqualTo(new AuthenticationOutcome.Authenticated(expected));
        assertThat(keys.authenticate(new Credentials.ApiKey(issued.secret())))
                .isEqualTo(new AuthenticationOutcome.Authenticated(expected));
    }

    @Test
    void only_the_hash_is_stored_and_the_secret_is_never_printed() {
        ApiKeys.IssuedKey issued = keys.issue(ACME, Set.of(Role.MANAGE_FILES));

        assertThat(issued.secret()).startsWith(ApiKeys.PREFIX).hasSizeGreaterThan(40);
        assertThat(repository.all()).extracting(ApiKeyRecord::keyHash).containsExactly(ApiKeyHash.of(issued.secret()));
        assertThat(repository.all().toString()).doesNotContain(issued.secret());
        assertThat(issued.toString()).doesNotContain(issued.secret());
        assertThat(new Credentials.ApiKey(issued.secret()).toString()).doesNotContain(issued.secret());
    }

    @Test
    void an_unknown_key_is_not_authenticated() {
        keys.issue(ACME, Set.of(Role.MANAGE_FILES));
        assertThat(keys.authenticate(new Credentials.BearerToken("fsk_guess")))
                .isInstanceOf(AuthenticationOutcome.NotAuthenticated.class);
    }

    @Test
    void ensuring_a_bootstrap_key_twice_keeps_its_service_account() {
        ApiKeyRecord first = keys.ensure("bootstrap-key-1234567890", ACME, Set.of(Role.MANAGE_FILES));
        ApiKeyRecord second = keys.ensure("bootstrap-key-1234567890", ACME, Set.of(Role.MANAGE_FILES));
        assertThat(second.serviceAccountId()).isEqualTo(first.serviceAccountId());
        assertThat(repository.all()).hasSize(1);
    }

    @Test
    void a_short_configured_key_is_refused() {
        assertThatThrownBy(() -> keys.ensure("short", ACME, Set.of(Role.MANAGE_FILES)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("16");
    }

    @Test
    void a_revoked_key_authenticates_nobody_and_configuration_never_brings_it_back() {
        ApiKeys.IssuedKey issued = keys.issue(ACME, Set.of(Role.MANAGE_FILES));
        String id = issued.record().serviceAccountId();

        assertThat(keys.revoke(id.substring(0, 8))).isInstanceOf(ApiKeys.Revocation.Revoked.class);

        assertThat(keys.authenticate(new Credentials.BearerToken(issued.secret())))
                .isInstanceOf(AuthenticationOutcome.NotAuthenticated.class);
        assertThat(repository.findByHash(issued.record().keyHash()).orElseThrow().revoked()).isTrue();
        assertThat(keys.ensure(issued.secret(), ACME, Set.of(Role.MANAGE_FILES, Role.READ_FILES)).revoked()).isTrue();
        assertThat(keys.authenticate(new Credentials.BearerToken(issued.secret())))
                .isInstanceOf(AuthenticationOutcome.NotAuthenticated.class);
        assertThat(keys.revoke("no-such-id")).isInstanceOf(ApiKeys.Revocation.NotFound.class);
        assertThat(keys.revoke("abc")).as("too short a prefix").isInstanceOf(ApiKeys.Revocation.NotFound.class);
    }

    @Test
    void a_revoked_record_round_trips_through_its_line_and_old_lines_still_read() {
        ApiKeyRecord record = keys.issue(ACME, Set.of(Role.READ_FILES)).record();
        assertThat(ApiKeyRecord.fromLine(record.keyHash(), record.revoke().toLine())).isEqualTo(record.revoke());
        assertThat(ApiKeyRecord.fromLine(record.keyHash(), record.toLine())).isEqualTo(record);
        assertThat(record.toLine()).doesNotContain("revoked");
    }
}
