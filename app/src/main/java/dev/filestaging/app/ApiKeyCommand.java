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
                   java -jar files-app.jar api-key revoke ID   (the id that create and list show, or 8+ of its first characters)
            Keys live where the files do: in FILES_DATA_DIR (default ./data) with FILES_STORAGE=local,
            in the bucket with FILES_STORAGE=s3.""";

    int run(List<String> args, AppConfig config, PrintStream out, PrintStream err) {
        if (args.isEmpty()) {
            err.println(USAGE);
            return 2;
        }
        try (Storage storage = Storage.forCredentials(config)) {
            err.println("(" + storage.description() + ")"); // which data directory or bucket, always
            return run(args, storage.apiKeys(), out, err);
        }
    }

    private int run(List<String> args, ApiKeyRepository repository, PrintStream out, PrintStream err) {
        switch (args.get(0)) {
            case "list" -> {
                out.println("id (service account)\torganization\troles\tcreated\tstatus");
                repository.all().stream().sorted(Comparator.comparing(ApiKeyRecord::createdOn)).forEach(r ->
                        out.println(r.serviceAccountId() + "\t" + r.organization() + "\t"
                                + Role.joinWireNames(r.roles()) + "\t" + r.createdOn() + "\t"
                                + (r.revoked() ? "revoked" : "active")));
                return 0;
            }
            case "revoke" -> {
                if (args.size() != 2) {
                    err.println(USAGE);
                    return 2;
                }
                ApiKeys.Revocation revocation = new ApiKeys(repository, Clock.systemUTC()).revoke(args.get(1));
                if (revocation instanceof ApiKeys.Revocation.Revoked revoked) {
                    out.println("revoked API key " + revoked.record().serviceAccountId() + " of organization '"
                            + revoked.record().organization() + "'; every server refuses it within a second");
                    return 0;
                }
                if (revocation instanceof ApiKeys.Revocation.Ambiguous ambiguous) {
                    err.println("'" + args.get(1) + "' starts several key ids; give more of it: "
                            + String.join(", ", ambiguous.ids()));
                    return 1;
                }
                err.println("no API key has the id '" + args.get(1) + "' (see api-key list)");
                return 1;
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
                err.println("API key for organization '" + organization + "', id " + key.record().serviceAccountId()
                        + " (to revoke it: api-key revoke " + key.record().serviceAccountId()
                        + "). It is shown only this once.");
                return 0;
            }
            default -> {
                err.println(USAGE);
                return 2;
            }
        }
    }
}
