package dev.filestaging.adapter.oidc;

/**
 * Where the built-in issuer's tokens come from: {@code {publicBaseUrl}/auth/realms/{organization}}, one issuer per
 * organization as Keycloak has one per realm.
 */
record BuiltInIssuer(String publicBaseUrl) {
    static final String ORGANIZATION_CLAIM = "org";
    private static final String REALMS = "/auth/realms/";

    BuiltInIssuer {
        publicBaseUrl = publicBaseUrl.endsWith("/") ? publicBaseUrl.substring(0, publicBaseUrl.length() - 1)
                : publicBaseUrl;
    }

    boolean issued(String issuer) {
        return issuer != null && issuer.startsWith(publicBaseUrl + REALMS)
                && issuer.substring((publicBaseUrl + REALMS).length()).matches("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    }

    /** The organization whose realm issued this token: the part of the issuer after {@code /auth/realms/}. */
    String realmOf(String issuer) {
        return issuer.substring((publicBaseUrl + REALMS).length());
    }
}
