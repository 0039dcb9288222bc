package dev.filestaging.app;

import dev.filestaging.adapter.oidc.JwtSigner;
import dev.filestaging.domain.OAuthClients;
import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.Role;
import dev.filestaging.ports.out.OAuthClientRecord;
import java.io.PrintStream;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code oauth-client create|list|revoke} and {@code signing-key rotate}: manage the built-in issuer where the
 * configured storage keeps it, also while servers run.
 */
final class OAuthCommand {

    static final String USAGE = """
            usage: java -jar files-app.jar oauth-client create --org ORGANIZATION [--role ManageFiles|ReadFiles]...
                   java -jar files-app.jar oauth-client list
                   java -jar files-app.jar oauth-client revoke CLIENT_ID
                   java -jar files-app.jar signing-key rotate""";

    int run(String command, List<String> args, AppConfig config, PrintStream out, PrintStream err) {
        try (Storage storage = Storage.forCredentials(config)) {
            err.println("(" + storage.description() + ")"); // which data directory or bucket, always
            if (command.equals("signing-key")) {
                if (!args.equals(List.of("rotate"))) {
                    err.println(USAGE);
                    return 2;
                }
                String keyId = new JwtSigner(storage.records(), Clock.systemUTC()).rotateKey();
                out.println("new signing key " + keyId + "; tokens signed with older keys stay valid until they expire");
                return 0;
            }
            OAuthClients clients = new OAuthClients(storage.records(), Clock.systemUTC());
            String action = args.isEmpty() ? "" : args.get(0);
            switch (action) {
                case "list" -> {
                    out.println("client id\torganization\troles\tcreated\tstate");
                    for (OAuthClientRecord c : clients.all()) {
                        out.println(c.clientId() + "\t" + c.organization() + "\t"
                                + Role.joinWireNames(c.roles())
                                + "\t" + c.createdOn() + "\t" + (c.revoked() ? "revoked" : "active"));
                    }
                    return 0;
                }
                case "revoke" -> {
                    if (args.size() != 2) {
                        err.println(USAGE);
                        return 2;
                    }
                    if (!clients.revoke(args.get(1))) {
                        err.println("no OAuth client " + args.get(1));
                        return 1;
                    }
                    out.println("revoked " + args.get(1) + "; tokens it already has expire within their lifetime");
                    return 0;
                }
                case "create" -> {
                    return create(args, clients, out, err);
                }
                default -> {
                    err.println(USAGE);
                    return 2;
                }
            }
        }
    }

    private int create(List<String> args, OAuthClients clients, PrintStream out, PrintStream err) {
        Optional<GrantOptions> grant = GrantOptions.parseOrExplain(args.subList(1, args.size()), USAGE, err);
        if (grant.isEmpty()) {
            return 2;
        }
        OrganizationId organization = grant.get().organization();
        Set<Role> roles = grant.get().roles();
        OAuthClients.IssuedClient created = clients.create(organization, roles);
        out.println("client_id=" + created.clientId());
        out.println("client_secret=" + created.secret());
        err.println("OAuth client of organization '" + organization + "' with roles "
                + Role.joinWireNames(roles)
                + ". The secret is shown only this once.");
        return 0;
    }
}
