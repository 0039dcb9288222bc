package dev.filestaging.ports.in;

/**
 * Use case: the built-in OAuth 2.0 issuer's token endpoint (client-credentials grant), as Keycloak serves it at
 * {@code /auth/realms/{organization}/protocol/openid-connect/token}, with what OIDC discovery publishes about it.
 */
public interface IssueToken {

    TokenOutcome issue(TokenRequest request);

    /** The issuer URL of a realm (an organization): {@code {public base URL}/auth/realms/{realm}}. */
    String issuerOf(String realm);

    /** The JSON Web Key Set that verifies the tokens. */
    String publicKeysJson();
}
