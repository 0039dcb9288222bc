package dev.filestaging.app.cli;

import dev.filestaging.adapter.oidc.JwtSigner;
import java.time.Clock;
import picocli.CommandLine.Command;

/** {@code signing-key rotate}: a new key for the built-in issuer; tokens signed with older ones stay valid. */
@Command(name = "signing-key", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = "Manage the built-in issuer's signing keys.")
final class SigningKeyCommand {
    private final Cli cli;

    SigningKeyCommand(Cli cli) {
        this.cli = cli;
    }

    @Command(name = "rotate", mixinStandardHelpOptions = true,
            description = "Sign new tokens with a new key; tokens signed with older keys stay valid until they expire.")
    int rotate() {
        return cli.withCredentialStorage(storage -> {
            String keyId = new JwtSigner(storage.records(), Clock.systemUTC()).rotateKey();
            cli.context().out().println("new signing key " + keyId
                    + "; tokens signed with older keys stay valid until they expire");
            return 0;
        });
    }
}
