package dev.filestaging.app.cli;

import dev.filestaging.app.FilesApp;
import dev.filestaging.app.Storage;
import dev.filestaging.app.config.ConfigException;
import dev.filestaging.app.config.ConfigLoader;
import dev.filestaging.app.config.StorageSettings;
import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.Role;
import dev.filestaging.ports.out.StorageException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The command line: {@code serve} (also what runs without a command) and the commands that manage credentials where
 * the configured storage keeps them. Those read only the storage settings, so they run where a server's other settings
 * are missing. Exit codes: 0 done, 1 failed (the storage could not be reached, nothing to revoke), 2 a usage or
 * configuration error.
 */
@Command(name = "files-app", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = "The Files staging service: the Polaris Files API over local disk or S3.",
        footer = {"", "Configuration: FILES_* environment variables, or a properties file with the same keys"
                + " (--config FILE or FILES_CONFIG_FILE); see the README."},
        subcommands = {ServeCommand.class, ApiKeyCommand.class, OAuthClientCommand.class, SigningKeyCommand.class,
                LinkKeyCommand.class, CatalogCommand.class,
                CommandLine.HelpCommand.class})
final class Cli implements Callable<Integer> {
    /** What every command works with: the process's environment and its output streams. */
    record Context(Map<String, String> environment, PrintStream out, PrintStream err) {}

    @Option(names = "--config", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "A properties file with FILES_* keys; environment variables win over it.")
    Path configFile;

    private final Context context;

    Cli(Context context) {
        this.context = context;
    }

    /** Without a command: serve, as {@code java -jar files-app.jar} always did. */
    @Override
    public Integer call() throws Exception {
        return new ServeCommand(this).call();
    }

    Context context() {
        return context;
    }

    /** The storage settings, read now (after the options are parsed). */
    StorageSettings storageSettings() {
        return new ConfigLoader().loadStorage(context.environment(), configFile);
    }

    /** Runs {@code action} on the storage that keeps credentials, after saying which one it is (always). */
    int withCredentialStorage(java.util.function.Function<Storage, Integer> action) {
        try (Storage storage = Storage.forCredentials(storageSettings())) {
            context.err().println("(" + storage.description() + ")");
            return action.apply(storage);
        }
    }

    /** A command line over {@code context}: its commands built with it, its errors turned into messages and codes. */
    static CommandLine commandLine(Context context) {
        Cli root = new Cli(context);
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                for (var constructor : type.getDeclaredConstructors()) {
                    if (constructor.getParameterCount() == 1 && constructor.getParameterTypes()[0] == Cli.class) {
                        constructor.setAccessible(true);
                        return type.cast(constructor.newInstance(root));
                    }
                }
                return CommandLine.defaultFactory().create(type);
            }
        };
        CommandLine line = new CommandLine(root, factory);
        line.setOut(new PrintWriter(context.out(), true));
        line.setErr(new PrintWriter(context.err(), true));
        line.setExecutionExceptionHandler((failure, commandLine, parsed) -> {
            if (failure instanceof ConfigException config) {
                context.err().println("configuration error: " + config.getMessage());
                return 2;
            }
            if (failure instanceof StorageException storage) {
                context.err().println("cannot reach the storage: " + storage.getMessage());
                return 1;
            }
            throw failure;
        });
        return line;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"files-app " + FilesApp.version()};
        }
    }

    /** {@code --org} and {@code --role} of the commands that create credentials; without a role, ManageFiles. */
    static final class Grant {
        @Option(names = "--org", required = true, paramLabel = "ORGANIZATION", converter = OrganizationConverter.class,
                description = "The organization the credentials act for.")
        OrganizationId organization;

        @Option(names = "--role", paramLabel = "ROLE", converter = RoleConverter.class,
                description = "ManageFiles (upload, delete, read) or ReadFiles (list, read); repeatable."
                        + " Default: ManageFiles.")
        List<Role> roles = List.of();

        Set<Role> roles() {
            return roles.isEmpty() ? EnumSet.of(Role.MANAGE_FILES) : EnumSet.copyOf(roles);
        }
    }

    static final class OrganizationConverter implements CommandLine.ITypeConverter<OrganizationId> {
        @Override
        public OrganizationId convert(String value) {
            try {
                return new OrganizationId(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    static final class RoleConverter implements CommandLine.ITypeConverter<Role> {
        @Override
        public Role convert(String value) {
            return Role.fromWireName(value).orElseThrow(() -> new CommandLine.TypeConversionException(
                    "unknown role '" + value + "'; roles: ManageFiles, ReadFiles"));
        }
    }
}
