package dev.filestaging.app.cli;

import dev.filestaging.domain.links.FileLinks;
import picocli.CommandLine.Command;

/**
 * {@code link-keys rotate}: ends every signed link made so far (links are not bound to the key or client that made
 * them, so this is how a leaked link, or the links of a revoked key, are ended before their expiry).
 */
@Command(name = "link-keys", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = "Manage the keys that sign links.")
final class LinkKeyCommand {
    private final Cli cli;

    LinkKeyCommand(Cli cli) {
        this.cli = cli;
    }

    @Command(name = "rotate", mixinStandardHelpOptions = true,
            description = "End every signed link made so far: running instances refuse them within 30 s.")
    int rotate() {
        return cli.withCredentialStorage(storage -> {
            String keyId = FileLinks.rotateKeys(storage.records());
            cli.context().out().println("new link key " + keyId + "; every link made before is refused by running"
                    + " instances within 30 s");
            return 0;
        });
    }
}
