package dev.filestaging.app.cli;

import dev.filestaging.domain.credentials.ApiKeys;
import dev.filestaging.ports.Role;
import dev.filestaging.ports.out.ApiKeyRecord;
import dev.filestaging.ports.out.ApiKeyRepository;
import java.time.Clock;
import java.util.Comparator;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code api-key create|list|revoke}: manage keys where the configured storage keeps them, also while servers run
 * (they see new and revoked keys within a second).
 */
@Command(name = "api-key", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = {"Manage API keys. They live where the files do: in FILES_DATA_DIR (default ./data) with"
                + " FILES_STORAGE=local, in the bucket with FILES_STORAGE=s3."})
final class ApiKeyCommand {
    private final Cli cli;

    ApiKeyCommand(Cli cli) {
        this.cli = cli;
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a key; it is printed only this once.")
    int create(@Mixin Cli.Grant grant) {
        return withKeys(keys -> {
            ApiKeys.IssuedKey key = new ApiKeys(keys, Clock.systemUTC()).issue(grant.organization, grant.roles());
            cli.context().out().println(key.secret());
            cli.context().err().println("API key for organization '" + grant.organization + "', id "
                    + key.record().serviceAccountId() + " (to revoke it: api-key revoke "
                    + key.record().serviceAccountId() + "). It is shown only this once.");
            return 0;
        });
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the keys (never their secrets).")
    int list() {
        return withKeys(keys -> {
            cli.context().out().println("id (service account)\torganization\troles\tcreated\tstatus");
            keys.all().stream().sorted(Comparator.comparing(ApiKeyRecord::createdOn)).forEach(r ->
                    cli.context().out().println(r.serviceAccountId() + "\t" + r.organization() + "\t"
                            + Role.joinWireNames(r.roles()) + "\t" + r.createdOn() + "\t"
                            + (r.revoked() ? "revoked" : "active")));
            return 0;
        });
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a key; servers refuse it within a second.")
    int revoke(@Parameters(paramLabel = "ID", description = "The id that create and list show, or 8+ of its first characters.")
               String id) {
        return withKeys(keys -> {
            ApiKeys.Revocation revocation = new ApiKeys(keys, Clock.systemUTC()).revoke(id);
            if (revocation instanceof ApiKeys.Revocation.Revoked revoked) {
                cli.context().out().println("revoked API key " + revoked.record().serviceAccountId()
                        + " of organization '" + revoked.record().organization()
                        + "'; every server refuses it within a second");
                return 0;
            }
            if (revocation instanceof ApiKeys.Revocation.Ambiguous ambiguous) {
                cli.context().err().println("'" + id + "' starts several key ids; give more of it: "
                        + String.join(", ", ambiguous.ids()));
                return 1;
            }
            cli.context().err().println("no API key has the id '" + id + "' (see api-key list)");
            return 1;
        });
    }

    private int withKeys(Function<ApiKeyRepository, Integer> action) {
        return cli.withCredentialStorage(storage -> action.apply(storage.apiKeys()));
    }
}
