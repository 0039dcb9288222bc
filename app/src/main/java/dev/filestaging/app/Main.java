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
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tLZ %4$s %3$s: %5$s%6$s%n");
        }
        Path configFile = null;
        List<String> rest = new ArrayList<>();
        for (String arg : args) {
            if (arg.startsWith("--config=")) {
                configFile = Path.of(arg.substring("--config=".length()));
            } else if (arg.equals("--help") || arg.equals("-h")) {
                System.out.println("usage: java -jar files-app.jar [--config=FILE]   serve the Files API\n"
                        + ApiKeyCommand.USAGE + "\n" + OAuthCommand.USAGE
                        + "\nConfiguration: see README (FILES_* environment variables).");
                return;
            } else {
                rest.add(arg);
            }
        }
        AppConfig config;
        try {
            config = new ConfigLoader().load(System.getenv(), configFile);
        } catch (ConfigException e) {
            System.err.println("configuration error: " + e.getMessage());
            System.exit(2);
            return;
        }
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
                    + e.getMessage() + " (set FILES_HTTP_PORT to a free port)");
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
