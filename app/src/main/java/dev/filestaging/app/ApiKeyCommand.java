package dev.filestaging.app;

import dev.filestaging.domain.ApiKeys;
import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.Role;
import dev.filestaging.ports.out.ApiKeyRecord;
import dev.filestaging.ports.out.ApiKeyRepository;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code api-key create --org ORG [--role ROLE]...} and {@code api-key list}: manage keys where the configured storage
 * keeps them, also while servers run (they see new keys within a second).
 */
final class ApiKeyCommand {

    static final String USAGE = """
            usage: java -jar files-app.jar api-key create --org ORGANIZATION [--role ManageFiles|ReadFiles]
                   java -jar files-app.jar api-key list
            Keys live where the files do: in FILES_DATA_DIR (default ./data) with FILES_STORAGE=local,
            in the bucket with FILES_STORAGE=s3.""";

    int run(List<String> args, AppConfig config, PrintStream out, PrintStream err) {
        if (args.isEmpty()) {
            err.println(USAGE);
            return 2;
        }
        try (Storage storage = Storage.forCredentials(config)) {
            return run(args, storage.apiKeys(), out, err);
        }
    }

    private int run(List<String> args, ApiKeyRepository repository, PrintStream out, PrintStream err) {
        switch (args.get(0)) {
            case "list" -> {
                out.println("organization\tservice account\troles\tcreated");
                repository.all().stream().sorted(Comparator.comparing(ApiKeyRecord::createdOn)).forEach(r ->
                        out.println(r.organization() + "\t" + r.serviceAccountId() + "\t"
                                + Role.joinWireNames(r.roles())
                                + "\t" + r.createdOn()));
                return 0;
            }
            case "create" -> {
                Optional<GrantOptions> grant = GrantOptions.parseOrExplain(args.subList(1, args.size()), USAGE, err);
                if (grant.isEmpty()) {
                    return 2;
                }
                OrganizationId organization = grant.get().organization();
                Set<Role> roles = grant.get().roles();
                ApiKeys.IssuedKey key = new ApiKeys(repository, Clock.systemUTC()).issue(organization, roles);
                out.println(key.secret());
                err.println("API key for organization '" + organization + "', service account "
                        + key.record().serviceAccountId() + ". It is shown only this once.");
                return 0;
            }
            default -> {
                err.println(USAGE);
                return 2;
            }
        }
    }
}
