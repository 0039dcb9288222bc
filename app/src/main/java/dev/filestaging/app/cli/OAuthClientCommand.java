package dev.filestaging.app.cli;

import dev.filestaging.domain.credentials.OAuthClients;
import dev.filestaging.ports.Role;
import dev.filestaging.ports.out.OAuthClientRecord;
import java.time.Clock;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code oauth-client create|list|revoke}: the built-in issuer's clients, where the configured storage keeps them. */
@Command(name = "oauth-client", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = "Manage the OAuth clients of the built-in issuer (client credentials grant).")
final class OAuthClientCommand {
    private final Cli cli;

    OAuthClientCommand(Cli cli) {
        this.cli = cli;
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a client; its secret is printed only this once.")
    int create(@Mixin Cli.Grant grant) {
        return withClients(clients -> {
            OAuthClients.IssuedClient created = clients.create(grant.organization, grant.roles());
            cli.context().out().println("client_id=" + created.clientId());
            cli.context().out().println("client_secret=" + created.secret());
            cli.context().err().println("OAuth client of organization '" + grant.organization + "' with roles "
                    + Role.joinWireNames(grant.roles()) + ". The secret is shown only this once.");
            return 0;
        });
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the clients (never their secrets).")
    int list() {
        return withClients(clients -> {
            cli.context().out().println("client id\torganization\troles\tcreated\tstate");
            for (OAuthClientRecord c : clients.all()) {
                cli.context().out().println(c.clientId() + "\t" + c.organization() + "\t" + Role.joinWireNames(c.roles())
                        + "\t" + c.createdOn() + "\t" + (c.revoked() ? "revoked" : "active"));
            }
            return 0;
        });
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke a client; tokens it already has expire within their lifetime.")
    int revoke(@Parameters(paramLabel = "CLIENT_ID") String clientId) {
        return withClients(clients -> {
            if (!clients.revoke(clientId)) {
                cli.context().err().println("no OAuth client " + clientId);
                return 1;
            }
            cli.context().out().println("revoked " + clientId + "; tokens it already has expire within their lifetime");
            return 0;
        });
    }

    private int withClients(Function<OAuthClients, Integer> action) {
        return cli.withCredentialStorage(storage -> action.apply(new OAuthClients(storage.records(), Clock.systemUTC())));
    }
}
