package dev.filestaging.app.config;

import dev.filestaging.adapter.oidc.ExternalIssuer;
import dev.filestaging.domain.credentials.OAuthClients;
import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.Role;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * OAuth and OpenID Connect settings.
 *
 * @param publicBaseUrl   how clients reach this service; the built-in issuer is {@code {publicBaseUrl}/auth/realms/{org}}
 * @param declaredClients OAuth clients declared in the config file
 * @param externalIssuers identity providers whose tokens are accepted
 */
public record OAuthSettings(String publicBaseUrl, Duration tokenLifetime, Duration clockSkew,
                            List<DeclaredClient> declaredClients, List<ExternalIssuer> externalIssuers) {

    public OAuthSettings {
        declaredClients = List.copyOf(declaredClients);
        externalIssuers = List.copyOf(externalIssuers);
    }

    static final Setting<Long> TOKEN_LIFETIME = Setting.number("FILES_OAUTH_TOKEN_LIFETIME_SECONDS", 10, 86_400,
            dev.filestaging.domain.credentials.TokenIssuance.DEFAULT_LIFETIME.toSeconds(), "a number of seconds from 10 to 86400");
    static final Setting<Long> CLOCK_SKEW = Setting.number("FILES_OAUTH_CLOCK_SKEW_SECONDS", 0, 300, 30L,
            "a number of seconds from 0 to 300");
    /** OAuth clients, in the config file only: {@code FILES_OAUTH_CLIENT.<client id>=<organization>|<roles>|<secret>}. */
    static final String OAUTH_CLIENT_PREFIX = "FILES_OAUTH_CLIENT.";
    /** External issuers, in the config file only: {@code FILES_OIDC_ISSUER.<name>.<url|audience|...>=value}. */
    static final String OIDC_ISSUER_PREFIX = "FILES_OIDC_ISSUER.";

    static final List<Setting<?>> DECLARED = List.of(TOKEN_LIFETIME, CLOCK_SKEW);

    /** @param publicBaseUrl how clients reach this service, without a trailing slash */
    static OAuthSettings read(Map<String, String> values, String publicBaseUrl) {
        return new OAuthSettings(publicBaseUrl, Duration.ofSeconds(TOKEN_LIFETIME.read(values)),
                Duration.ofSeconds(CLOCK_SKEW.read(values)), declaredClients(values, OAUTH_CLIENT_PREFIX),
                externalIssuers(values, OIDC_ISSUER_PREFIX));
    }

    /** A client of the config file: {@code FILES_OAUTH_CLIENT.<id>=<organization>|<roles>|<secret>}. */
    public record DeclaredClient(String clientId, OrganizationId organization, Set<Role> roles, String secret) {
        @Override
        public String toString() {
            return "DeclaredClient[" + clientId + ", " + organization + ", " + roles + ", secret=***]";
        }
    }

    static List<DeclaredClient> declaredClients(Map<String, String> values, String prefix) {
        List<DeclaredClient> clients = new ArrayList<>();
        new TreeMap<>(values).forEach((key, value) -> {
            if (!key.startsWith(prefix)) {
                return;
            }
            String clientId = key.substring(prefix.length());
            String[] fields = value.split("\\|", 3);
            try {
                if (fields.length != 3 || fields[2].length() < OAuthClients.MIN_SECRET_LENGTH) {
                    throw new IllegalArgumentException("expected <organization>|<roles>|<secret of at least "
                            + OAuthClients.MIN_SECRET_LENGTH + " characters>");
                }
                clients.add(new DeclaredClient(dev.filestaging.ports.out.SmallRecordStore.checkedName(clientId),
                        new OrganizationId(fields[0].strip()), roles(fields[1]), fields[2]));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(key + ": " + e.getMessage());
            }
        });
        return clients;
    }

    private static Set<Role> roles(String names) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String name : names.split(",")) {
            if (!name.isBlank()) {
                roles.add(Role.fromWireName(name.strip()).orElseThrow(() -> new IllegalArgumentException(
                        "unknown role '" + name.strip() + "'; roles: ManageFiles, ReadFiles")));
            }
        }
        return roles;
    }

    /**
     * {@code FILES_OIDC_ISSUER.<name>.url} (required), {@code .audience} (default {@code files-api}),
     * {@code .organization-claim} (default {@code org}) or {@code .organization} (one fixed organization),
     * {@code .roles-claim} (default {@code roles}).
     */
    static List<ExternalIssuer> externalIssuers(Map<String, String> values, String prefix) {
        Set<String> names = new TreeSet<>();
        values.keySet().stream().filter(k -> k.startsWith(prefix)).forEach(k -> {
            String rest = k.substring(prefix.length());
            int dot = rest.indexOf('.');
            if (dot <= 0) {
                throw new ConfigException(k + ": expected " + prefix + "<name>.<setting>");
            }
            names.add(rest.substring(0, dot));
        });
        List<ExternalIssuer> issuers = new ArrayList<>();
        for (String name : names) {
            String p = prefix + name + ".";
            Set<String> known = Set.of("url", "audience", "organization-claim", "organization", "roles-claim");
            values.keySet().stream().filter(k -> k.startsWith(p) && !known.contains(k.substring(p.length())))
                    .findFirst().ifPresent(k -> {
                        throw new ConfigException("unknown setting " + k + "; known: " + String.join(", ", new TreeSet<>(known)));
                    });
            String url = values.get(p + "url");
            if (url == null || !url.matches("https?://.+")) {
                throw new ConfigException(p + "url must be the issuer URL of the identity provider, such as"
                        + " https://keycloak.example.com/realms/acme");
            }
            String organization = values.get(p + "organization");
            String organizationClaim = organization == null ? values.getOrDefault(p + "organization-claim", "org") : null;
            try {
                if (organization != null) {
                    new OrganizationId(organization);
                }
                issuers.add(new ExternalIssuer(URI.create(url), values.getOrDefault(p + "audience", "files-api"),
                        organizationClaim, organization, values.getOrDefault(p + "roles-claim", "roles")));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(p + ": " + e.getMessage());
            }
        }
        return issuers;
    }
}
