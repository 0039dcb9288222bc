package dev.filestaging.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.filestaging.adapter.oidc.ExternalIssuer;
import dev.filestaging.adapter.s3.client.S3Settings;
import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.Role;
import java.net.URI;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    private final ConfigLoader loader = new ConfigLoader();

    @TempDir
    Path directory;

    @Test
    void without_configuration_the_embedded_defaults_apply() {
        AppConfig config = loader.load(Map.of(), null);

        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.dataDirectory()).isEqualTo(Path.of("data"));
        assertThat(config.storage()).isEqualTo(StorageKind.LOCAL);
        assertThat(config.maxUploadBytes()).isEqualTo(2L * 1024 * 1024 * 1024);
        assertThat(config.quotaBytes()).isEqualTo(1_000_000_000_000L);
        assertThat(config.bootstrapApiKeyIfSet()).isEmpty();
    }

    @Test
    void environment_variables_override_the_config_file() throws Exception {
        Path file = directory.resolve("files.properties");
        Files.writeString(file, "FILES_HTTP_PORT=9000\nFILES_QUOTA_BYTES=500\nFILES_QUOTA_BYTES.acme=70\nFILES_STORAGE=LOCAL\n");

        AppConfig config = loader.load(Map.of("FILES_CONFIG_FILE", file.toString(), "FILES_HTTP_PORT", "9100"), null);

        assertThat(config.port()).isEqualTo(9100);
        assertThat(config.quotaBytes()).isEqualTo(500);
        assertThat(config.organizationQuotas()).containsEntry(new OrganizationId("acme"), 70L);
    }

    @Test
    void the_catalog_is_local_by_default_and_postgres_with_a_url_for_s3_the_bucket_only_catalog_being_retired() throws Exception {
        assertThat(loader.load(Map.of(), null).catalog().kind()).isEqualTo(CatalogKind.LOCAL);
        assertThatThrownBy(() -> loader.load(Map.of("FILES_STORAGE", "s3", "FILES_S3_BUCKET", "b", "AWS_REGION",
                "eu-west-1"), null)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("FILES_CATALOG=postgres").hasMessageContaining("FILES_CATALOG_URL")
                .hasMessageContaining("catalog migrate");
        assertThat(loader.load(s3("FILES_S3_BUCKET", "b", "AWS_REGION", "eu-west-1"), null).catalog().kind())
                .isEqualTo(CatalogKind.POSTGRES);
        assertThatThrownBy(() -> loader.load(Map.of("FILES_CATALOG", "postgres"), null))
                .isInstanceOf(ConfigException.class).hasMessageContaining("FILES_CATALOG_URL");
        assertThatThrownBy(() -> loader.load(Map.of("FILES_CATALOG", "s3", "FILES_STORAGE", "s3",
                "FILES_S3_BUCKET", "b"), null)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("retired").hasMessageContaining("catalog migrate");
        assertThatThrownBy(() -> loader.load(Map.of("FILES_CATALOG", "local", "FILES_STORAGE", "s3",
                "FILES_S3_BUCKET", "b", "AWS_REGION", "eu-west-1"), null))
                .isInstanceOf(ConfigException.class).hasMessageContaining("FILES_CATALOG=postgres");
        assertThatThrownBy(() -> loader.load(Map.of("FILES_CATALOG", "postgres", "FILES_CATALOG_URL",
                "jdbc:postgresql://db/files"), null)).as("no user: the driver would take the operating system's")
                .isInstanceOf(ConfigException.class).hasMessageContaining("FILES_CATALOG_USER");
        assertThatThrownBy(() -> loader.load(Map.of("FILES_CATALOG", "postgres", "FILES_CATALOG_URL",
                "postgresql://db/files"), null))
                .isInstanceOf(ConfigException.class).hasMessageContaining("jdbc:postgresql://");

        assertThatThrownBy(() -> loader.load(Map.of("FILES_CATALOG", "postgres", "FILES_CATALOG_URL",
                "postgres://files:S3cret@db/files"), null))
                .isInstanceOf(ConfigException.class).message().doesNotContain("S3cret");
        assertThat(loader.load(Map.of("FILES_CATALOG", "postgres", "FILES_CATALOG_URL",
                "jdbc:postgresql://db/files?user=files&password=S3cret&ssl=true"), null).toString())
                .doesNotContain("S3cret").contains("password=***&ssl=true");

        Path secret = directory.resolve("password");
        Files.writeString(secret, "s3cr3t\n");
        AppConfig config = loader.load(Map.of("FILES_CATALOG", "postgres", "FILES_CATALOG_URL",
                "jdbc:postgresql://db:5432/files", "FILES_CATALOG_USER", "files", "FILES_CATALOG_PASSWORD_FILE",
                secret.toString()), null);

        assertThat(config.catalog().postgres()).hasValueSatisfying(postgres -> {
            assertThat(postgres.url()).isEqualTo("jdbc:postgresql://db:5432/files");
            assertThat(postgres.user()).isEqualTo("files");
            assertThat(postgres.password()).contains("s3cr3t");
        });
        assertThat(config.toString()).doesNotContain("s3cr3t");
        assertThatThrownBy(() -> loader.load(Map.of("FILES_CATALOG", "postgres", "FILES_CATALOG_URL",
                "jdbc:postgresql://db/files", "FILES_CATALOG_USER", "files", "FILES_CATALOG_PASSWORD", "x",
                "FILES_CATALOG_PASSWORD_FILE",
                secret.toString()), null)).isInstanceOf(ConfigException.class).hasMessageContaining("not both");
    }

    @Test
    void s3_storage_needs_a_bucket_and_takes_the_rest_from_defaults() {
        assertThatThrownBy(() -> loader.load(Map.of("FILES_STORAGE", "s3"), null))
                .isInstanceOf(ConfigException.class).hasMessageContaining("FILES_S3_BUCKET is required");

        AppConfig aws = loader.load(s3("FILES_S3_BUCKET", "staging",
                "AWS_REGION", "eu-west-1"), null);

        assertThat(aws.s3()).isEqualTo(new S3Settings("staging", "", "eu-west-1", null, false,
                8L * 1024 * 1024, Duration.ofSeconds(10)));
    }

    @Test
    void an_s3_compatible_endpoint_implies_path_style_unless_told_otherwise() {
        AppConfig minio = loader.load(s3("FILES_S3_BUCKET", "staging",
                "FILES_S3_ENDPOINT", "http://127.0.0.1:9000", "FILES_S3_PREFIX", "/team-a/",
                "FILES_S3_PART_SIZE_BYTES", "16777216"), null);

        assertThat(minio.s3().endpoint()).isEqualTo(URI.create("http://127.0.0.1:9000"));
        assertThat(minio.s3().pathStyleAccess()).isTrue();
        assertThat(minio.s3().prefix()).isEqualTo("team-a/");
        assertThat(minio.s3().partSizeBytes()).isEqualTo(16L * 1024 * 1024);
        assertThat(minio.s3().checksums()).isEqualTo(dev.filestaging.adapter.s3.client.ChecksumMode.AUTO);
        assertThat(loader.load(s3("FILES_S3_BUCKET", "b", "FILES_S3_CHECKSUMS", "When_Required"),
                null).s3().checksums()).isEqualTo(dev.filestaging.adapter.s3.client.ChecksumMode.WHEN_REQUIRED);
        assertThatThrownBy(() -> loader.load(s3("FILES_S3_BUCKET", "b",
                "FILES_S3_CHECKSUMS", "crc"), null)).hasMessageContaining("FILES_S3_CHECKSUMS")
                .hasMessageContaining("when_required");
        assertThat(loader.load(s3("FILES_S3_BUCKET", "b", "FILES_S3_ENDPOINT",
                "https://s3.example.com", "FILES_S3_PATH_STYLE", "no"), null).s3().pathStyleAccess()).isFalse();
        assertThatThrownBy(() -> loader.load(s3("FILES_S3_BUCKET", "b",
                "FILES_S3_ENDPOINT", "localhost:9000"), null)).hasMessageContaining("FILES_S3_ENDPOINT");
        assertThatThrownBy(() -> loader.load(s3("FILES_S3_BUCKET", "b",
                "FILES_S3_PART_SIZE_BYTES", "1000"), null)).hasMessageContaining("5 MiB");
    }

    @Test
    void oauth_settings_come_with_defaults_and_clients_and_issuers_from_the_config_file() throws Exception {
        AppConfig defaults = loader.load(Map.of("FILES_HTTP_PORT", "9000"), null);
        assertThat(defaults.oauth().publicBaseUrl()).isEqualTo("http://127.0.0.1:9000");
        assertThat(defaults.oauth().tokenLifetime()).isEqualTo(Duration.ofMinutes(5));
        assertThat(defaults.oauth().clockSkew()).isEqualTo(Duration.ofSeconds(30));

        Path file = directory.resolve("files.properties");
        Files.writeString(file, String.join("\n",
                "FILES_PUBLIC_URL=https://files.example.com/",
                "FILES_OAUTH_CLIENT.ingest-bot=acme|ManageFiles,ReadFiles|a-secret-of-sixteen+",
                "FILES_OIDC_ISSUER.keycloak.url=https://sso.example.com/realms/acme",
                "FILES_OIDC_ISSUER.keycloak.roles-claim=realm_access.roles",
                "FILES_OIDC_ISSUER.keycloak.organization=acme", ""));
        OAuthSettings oauth = loader.load(Map.of(), file).oauth();

        assertThat(oauth.publicBaseUrl()).isEqualTo("https://files.example.com");
        assertThat(oauth.declaredClients()).containsExactly(new OAuthSettings.DeclaredClient("ingest-bot",
                new OrganizationId("acme"), Set.of(Role.MANAGE_FILES, Role.READ_FILES), "a-secret-of-sixteen+"));
        assertThat(oauth.declaredClients().toString()).doesNotContain("a-secret-of-sixteen+");
        assertThat(oauth.externalIssuers()).containsExactly(new ExternalIssuer(
                URI.create("https://sso.example.com/realms/acme"), "files-api", null, "acme", "realm_access.roles"));
    }

    @Test
    void bad_oauth_settings_name_the_key() throws Exception {
        Path file = directory.resolve("files.properties");
        Files.writeString(file, "FILES_OAUTH_CLIENT.bot=acme|ManageFiles|short\n");
        assertThatThrownBy(() -> loader.load(Map.of(), file)).hasMessageContaining("FILES_OAUTH_CLIENT.bot");
        Files.writeString(file, "FILES_OIDC_ISSUER.idp.audence=x\nFILES_OIDC_ISSUER.idp.url=https://idp\n");
        assertThatThrownBy(() -> loader.load(Map.of(), file)).hasMessageContaining("FILES_OIDC_ISSUER.idp.audence");
        assertThatThrownBy(() -> loader.load(Map.of("FILES_OAUTH_TOKEN_LIFETIME_SECONDS", "1"), null))
                .hasMessageContaining("FILES_OAUTH_TOKEN_LIFETIME_SECONDS");
        assertThatThrownBy(() -> loader.load(Map.of("FILES_PUBLIC_URL", "files.example.com"), null))
                .hasMessageContaining("FILES_PUBLIC_URL");
    }

    @Test
    void bad_values_name_the_key_and_what_it_accepts() {
        assertThatThrownBy(() -> loader.load(Map.of("FILES_HTTP_PORT", "eighty"), null))
                .isInstanceOf(ConfigException.class).hasMessageContaining("FILES_HTTP_PORT").hasMessageContaining("0 to 65535");
        assertThatThrownBy(() -> loader.load(Map.of("FILES_STORAGE", "ftp"), null))
                .hasMessageContaining("FILES_STORAGE").hasMessageContaining("'local' or 's3'");
        assertThatThrownBy(() -> loader.load(Map.of("FILES_MAX_UPLOAD_BYTES", "-1"), null))
                .hasMessageContaining("FILES_MAX_UPLOAD_BYTES");
        assertThatThrownBy(() -> loader.load(Map.of("FILES_BOOTSTRAP_API_KEY", "short"), null))
                .hasMessageContaining("FILES_BOOTSTRAP_API_KEY").hasMessageContaining("16");
    }

    @Test
    void a_misspelt_key_in_the_config_file_is_an_error() throws Exception {
        Path file = directory.resolve("files.properties");
        Files.writeString(file, "FILES_HTTP_PROT=9000\n");
        assertThatThrownBy(() -> loader.load(Map.of(), file))
                .isInstanceOf(ConfigException.class).hasMessageContaining("FILES_HTTP_PROT").hasMessageContaining("FILES_HTTP_PORT");
    }

    @Test
    void a_missing_config_file_is_an_error() {
        assertThatThrownBy(() -> loader.load(Map.of(), directory.resolve("absent.properties")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("absent.properties");
    }

    @Test
    void the_bootstrap_key_never_appears_in_the_printed_configuration() {
        AppConfig config = loader.load(Map.of("FILES_BOOTSTRAP_API_KEY", "secret-value-0123456789"), null);
        assertThat(config.toString()).doesNotContain("secret-value-0123456789");
    }

    /** S3 storage with the PostgreSQL catalog it needs, and {@code more} settings. */
    private static Map<String, String> s3(String... more) {
        Map<String, String> settings = new java.util.HashMap<>(Map.of("FILES_STORAGE", "s3", "FILES_CATALOG",
                "postgres", "FILES_CATALOG_URL", "jdbc:postgresql://db/files", "FILES_CATALOG_USER", "files"));
        for (int i = 0; i < more.length; i += 2) {
            settings.put(more[i], more[i + 1]);
        }
        return settings;
    }
}
