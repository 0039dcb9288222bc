package dev.filestaging.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as an operator types it: help everywhere, both option spellings, clear usage errors. */
class CliTest {
    @TempDir
    Path data;

    private record Run(int code, String out, String err) {}

    private Run run(Map<String, String> environment, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Cli.commandLine(new Cli.Context(environment, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))).execute(args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Run run(String... args) {
        return run(Map.of("FILES_DATA_DIR", data.toString()), args);
    }

    @Test
    void every_command_has_help_and_the_version_is_printed() {
        for (List<String> command : List.<List<String>>of(List.of(), List.of("serve"), List.of("api-key"), List.of("api-key", "create"),
                List.of("api-key", "list"), List.of("api-key", "revoke"), List.of("oauth-client"),
                List.of("oauth-client", "create"), List.of("oauth-client", "list"), List.of("oauth-client", "revoke"),
                List.of("signing-key"), List.of("signing-key", "rotate"), List.of("link-keys"),
                List.of("link-keys", "rotate"), List.of("catalog"), List.of("catalog", "migrate"))) {
            String[] args = java.util.stream.Stream.concat(command.stream(), java.util.stream.Stream.of("--help"))
                    .toArray(String[]::new);
            Run help = run(args);
            assertThat(help.code()).as(String.join(" ", args)).isZero();
            assertThat(help.out()).as(String.join(" ", args)).startsWith("Usage: files-app");
        }
        assertThat(run("--version").out()).startsWith("files-app ");
        assertThat(run("api-key", "--version").out()).startsWith("files-app ");
    }

    @Test
    void keys_are_created_listed_and_revoked_with_either_option_spelling() {
        Run created = run("api-key", "create", "--org=acme", "--role", "ReadFiles");
        assertThat(created.code()).as(created.err()).isZero();
        assertThat(created.out().strip()).startsWith("fsk_");
        Run other = run("--config", writeConfig(), "api-key", "create", "--org", "acme");
        assertThat(other.code()).as(other.err()).isZero();
        Run listed = run("api-key", "list");
        assertThat(listed.out().lines().filter(line -> line.contains("\tacme\t"))).hasSize(2);
        assertThat(listed.out()).contains("ReadFiles").doesNotContain(created.out().strip());
        String id = listed.out().lines().skip(1).findFirst().orElseThrow().split("\t")[0];
        Run revoked = run("api-key", "revoke", id.substring(0, 8));
        assertThat(revoked.code()).as(revoked.err()).isZero();
        assertThat(run("api-key", "list").out()).contains("revoked");
        assertThat(run("api-key", "revoke", "nosuchid").code()).isEqualTo(1);
    }

    private String writeConfig() {
        try {
            Path config = data.resolve("files.properties");
            Files.writeString(config, "FILES_DATA_DIR=" + data + "\n");
            return config.toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void usage_errors_say_what_is_wrong_and_exit_2() {
        Run missing = run("api-key", "create");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("Missing required option: '--org=ORGANIZATION'");
        Run role = run("api-key", "create", "--org", "acme", "--role", "Admin");
        assertThat(role.code()).isEqualTo(2);
        assertThat(role.err()).contains("unknown role 'Admin'");
        Run org = run("oauth-client", "create", "--org", "../x");
        assertThat(org.code()).isEqualTo(2);
        assertThat(org.err()).contains("--org");
        assertThat(run("api-key").code()).isEqualTo(2);
        assertThat(run("no-such-command").code()).isEqualTo(2);
    }

    @Test
    void credential_commands_need_only_the_storage_settings() {
        Map<String, String> brokenServer = Map.of("FILES_DATA_DIR", data.toString(), "FILES_HTTP_PORT", "not-a-port",
                "FILES_LOG_FORMAT", "text");
        Run created = run(brokenServer, "oauth-client", "create", "--org", "acme");
        assertThat(created.code()).as(created.err()).isZero();
        assertThat(created.out()).contains("client_id=").contains("client_secret=");
        assertThat(run(brokenServer, "signing-key", "rotate").code()).isZero();
        Run rotated = run(brokenServer, "link-keys", "rotate");
        assertThat(rotated.code()).as(rotated.err()).isZero();
        assertThat(rotated.out()).contains("new link key ").contains("every link made before is refused");
        Run serve = run(brokenServer, "serve");
        assertThat(serve.code()).isEqualTo(2);
        assertThat(serve.err()).contains("configuration error").contains("FILES_HTTP_PORT");
    }

    @Test
    void with_a_postgres_catalog_on_local_storage_credentials_are_the_databases() {
        Map<String, String> postgres = Map.of("FILES_DATA_DIR", data.toString(), "FILES_CATALOG", "postgres",
                "FILES_CATALOG_URL", dev.filestaging.adapter.postgres.PostgresServer.shared().newDatabase(),
                "FILES_CATALOG_USER", dev.filestaging.adapter.postgres.PostgresServer.USER);
        Run created = run(postgres, "api-key", "create", "--org", "acme");
        assertThat(created.code()).as(created.err()).isZero();
        assertThat(created.err() + created.out()).contains("PostgreSQL").doesNotContain("credentials in " + data);

        assertThat(run(postgres, "api-key", "list").out()).contains("\tacme\t");
        assertThat(run("api-key", "list").out()).as("not the data directory's").doesNotContain("\tacme\t");
    }

    @Test
    void catalog_migrate_names_the_settings_it_needs_when_they_are_not_postgres_with_s3() {
        Run local = run("catalog", "migrate");
        assertThat(local.code()).isEqualTo(2);
        assertThat(local.err()).contains("FILES_STORAGE=s3").contains("FILES_CATALOG=postgres")
                .contains("FILES_CATALOG_URL");
        Run negative = run(Map.of("FILES_STORAGE", "s3", "FILES_S3_BUCKET", "b", "FILES_CATALOG", "postgres",
                "FILES_CATALOG_URL", "jdbc:postgresql://127.0.0.1:1/none", "FILES_CATALOG_USER", "files"), "catalog",
                "migrate", "--instance-timeout=0");
        assertThat(negative.code()).isEqualTo(2);
        assertThat(negative.err()).contains("--instance-timeout");
    }
}
