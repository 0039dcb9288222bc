package dev.filestaging.domain.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.Principal;
import dev.filestaging.ports.Role;
import dev.filestaging.ports.in.AuthenticationOutcome;
import dev.filestaging.ports.in.Credentials;
import dev.filestaging.ports.out.TokenVerifier.TokenCheck;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BearerTokensTest {

    private static AuthenticationOutcome authenticate(TokenCheck check) {
        return new BearerTokens(token -> check).authenticate(new Credentials.BearerToken("a.b.c"));
    }

    @Test
    void a_valid_token_becomes_a_principal_of_its_organization_with_the_roles_we_know() {
        assertThat(authenticate(new TokenCheck.Valid("iss", "sa-7", "acme", Set.of("ReadFiles", "offline_access"))))
                .isEqualTo(new AuthenticationOutcome.Authenticated(
                        new Principal(new OrganizationId("acme"), "sa-7", Set.of(Role.READ_FILES))));
    }

    @Test
    void tokens_without_a_usable_organization_are_refused() {
        assertThat(authenticate(new TokenCheck.Valid("iss", "sa", null, Set.of("ManageFiles"))))
                .isInstanceOf(AuthenticationOutcome.InvalidToken.class);
        assertThat(authenticate(new TokenCheck.Valid("iss", "sa", "../other", Set.of("ManageFiles"))))
                .isInstanceOf(AuthenticationOutcome.InvalidToken.class);
    }

    @Test
    void an_expired_token_says_when_it_expired_naming_the_exp_claim() {
        AuthenticationOutcome outcome = authenticate(new TokenCheck.Expired(Instant.parse("2026-01-01T00:05:00Z")));
        assertThat(((AuthenticationOutcome.InvalidToken) outcome).reason())
                .contains("expired at 2026-01-01T00:05:00Z").contains("exp");
    }

    @Test
    void api_keys_and_non_jwt_tokens_are_left_to_the_next_authenticator() {
        assertThat(authenticate(new TokenCheck.NotAJwt())).isInstanceOf(AuthenticationOutcome.NotRecognised.class);
        assertThat(new BearerTokens(token -> { throw new AssertionError("must not be asked"); })
                .authenticate(new Credentials.ApiKey("fsk_x"))).isInstanceOf(AuthenticationOutcome.NotRecognised.class);
    }
}
