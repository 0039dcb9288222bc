package dev.filestaging.domain.credentials;

import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.Principal;
import dev.filestaging.ports.Role;
import dev.filestaging.ports.in.Authenticate;
import dev.filestaging.ports.in.AuthenticationOutcome;
import dev.filestaging.ports.in.Credentials;
import dev.filestaging.ports.out.TokenVerifier;
import dev.filestaging.ports.out.TokenVerifier.TokenCheck;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Authenticates OAuth access tokens (JWTs) of the trusted issuers: the token's organization and roles become the
 * principal, its subject the service account. A token without a valid organization claim is refused: it could
 * otherwise reach another organization's files.
 */
public final class BearerTokens implements Authenticate {

    private final TokenVerifier verifier;

    public BearerTokens(TokenVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public AuthenticationOutcome authenticate(Credentials credentials) {
        if (!(credentials instanceof Credentials.BearerToken bearer)) {
            return new AuthenticationOutcome.NotRecognised();
        }
        TokenCheck check = verifier.verify(bearer.token());
        if (check instanceof TokenCheck.NotAJwt) {
            return new AuthenticationOutcome.NotRecognised();
        }
        if (check instanceof TokenCheck.Expired expired) {
            return new AuthenticationOutcome.InvalidToken("the access token expired at " + expired.expiredAt()
                    + " (its exp claim); get a new token");
        }
        if (check instanceof TokenCheck.Rejected rejected) {
            return new AuthenticationOutcome.InvalidToken("the access token is not valid: " + rejected.reason());
        }
        TokenCheck.Valid valid = (TokenCheck.Valid) check;
        Optional<OrganizationId> organization = organizationOf(valid.organization());
        if (organization.isEmpty()) {
            return new AuthenticationOutcome.InvalidToken("the access token names no valid organization");
        }
        Set<Role> roles = valid.roles().stream().map(Role::fromWireName).flatMap(Optional::stream)
                .collect(Collectors.toSet());
        return new AuthenticationOutcome.Authenticated(new Principal(organization.get(), valid.subject(), roles));
    }

    private static Optional<OrganizationId> organizationOf(String claim) {
        try {
            return claim == null ? Optional.empty() : Optional.of(new OrganizationId(claim));
        } catch (IllegalArgumentException invalid) {
            return Optional.empty();
        }
    }
}
