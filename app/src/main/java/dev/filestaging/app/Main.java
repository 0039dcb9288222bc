package dev.filestaging.app;

import dev.filestaging.ports.out.StorageException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** {@code java -jar files-app.jar [--config=FILE]} serves; {@code ... api-key ...} manages keys. */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        // first, and by name: touching the class would initialize java.util.logging before the property is read
        if (System.getProperty("java.util.logging.manager") == null) {
            System.setProperty("java.util.logging.manager", "dev.filestaging.app.DrainingLogManager");
        }
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tLZ %4$s %3$s: %5$s%6$s%n");
        }
        Path configFile = null;
        List<String> rest = new ArrayList<>();
        List<String> arguments = splitEquals(List.of(args));
        for (int i = 0; i < arguments.size(); i++) {
            String arg = arguments.get(i);
            if (arg.equals("--config")) {
                if (i + 1 >= arguments.size()) {
                    System.err.println("--config needs a file: --config FILE or --config=FILE");
                    System.exit(2);
                    return;
                }
                configFile = Path.of(arguments.get(++i));
            } else if (arg.equals("--version") || arg.equals("-V")) {
                System.out.println("files-app " + version());
                return;
            } else if (arg.equals("--help") || arg.equals("-h")) {
                System.out.println("usage: java -jar files-app.jar [--config FILE]   serve the Files API\n"
                        + "       java -jar files-app.jar --version\n"
                        + ApiKeyCommand.USAGE + "\n" + OAuthCommand.USAGE
                        + "\nConfiguration: see README (FILES_* environment variables).");
                return;
            } else {
                rest.add(arg);
            }
        }
        ConfigLoader.unknownVariables(System.getenv()).forEach(warning -> System.err.println("warning: " + warning));
        AppConfig config;
        try {
            config = new ConfigLoader().load(System.getenv(), configFile);
        } catch (ConfigException e) {
            System.err.println("configuration error: " + e.getMessage());
            System.exit(2);
            return;
        }
        LogLines.install(config.logging());
        if (!rest.isEmpty()) {
            String command = rest.get(0);
            List<String> commandArgs = rest.subList(1, rest.size());
            try {
                switch (command) {
                    case "api-key" -> System.exit(new ApiKeyCommand().run(commandArgs, config, System.out, System.err));
                    case "oauth-client", "signing-key" ->
                            System.exit(new OAuthCommand().run(command, commandArgs, config, System.out, System.err));
                    default -> {
                        System.err.println("unknown command '" + command + "'; try --help");
                        System.exit(2);
                    }
                }
            } catch (StorageException e) {
                System.err.println("cannot reach the storage: " + e.getMessage());
                System.exit(1);
            }
        }
        serve(config);
    }

    /** What to change when the server cannot listen: the host when it is no address of this machine, else the port. */
    private static String bindAdvice(String host) {
        try {
            java.net.InetAddress address = java.net.InetAddress.getByName(host);
            if (address.isAnyLocalAddress() || address.isLoopbackAddress()
                    || java.net.NetworkInterface.getByInetAddress(address) != null) {
                return "set " + HttpConfiguration.PORT.key() + " to a free port";
            }
        } catch (java.io.IOException notAnAddressHere) {
            // falls through: the host is the problem
        }
        return "set " + HttpConfiguration.HOST.key() + " to an address of this machine, such as 127.0.0.1, or 0.0.0.0 for all";
    }

    /** The version in the jar's manifest; "dev" when run from classes. */
    static String version() {
        String version = Main.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    /** {@code --name=value} as {@code --name value}, so both forms work everywhere. */
    static List<String> splitEquals(List<String> args) {
        List<String> split = new ArrayList<>();
        for (String arg : args) {
            int equals = arg.indexOf('=');
            if (arg.startsWith("--") && equals > 2) {
                split.add(arg.substring(0, equals));
                split.add(arg.substring(equals + 1));
            } else {
                split.add(arg);
            }
        }
        return split;
    }

    private static void serve(AppConfig config) throws InterruptedException {
        FilesApp app;
        try {
            app = FilesApp.start(config, System.out);
        } catch (ConfigException e) {
            System.err.println("configuration error: " + e.getMessage());
            System.exit(2);
            return;
        } catch (StorageException e) {
            System.err.println("cannot start: " + e.getMessage());
            System.exit(1);
            return;
        } catch (java.io.IOException e) {
            System.err.println("cannot start the HTTP server on " + config.host() + ":" + config.port() + ": "
                    + e.getMessage() + " (" + bindAdvice(config.host()) + ")");
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            stopped.countDown();
        }, "files-shutdown"));
        stopped.await();
    }
}
