package dev.filestaging.app.cli;

import dev.filestaging.app.FilesApp;
import dev.filestaging.app.config.AppConfig;
import dev.filestaging.app.config.ConfigLoader;
import dev.filestaging.app.config.HttpConfiguration;
import dev.filestaging.app.logging.LogLines;
import dev.filestaging.app.metrics.ManagementServer;
import dev.filestaging.ports.out.StorageException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;

/** {@code serve}: the Files API, until SIGTERM (or SIGINT), which drains uploads in progress first. */
@Command(name = "serve", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = "Serve the Files API (what runs without a command).")
final class ServeCommand implements Callable<Integer> {
    private static volatile boolean stoppedBySignal;

    private final Cli cli;

    ServeCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws InterruptedException {
        Cli.Context context = cli.context();
        ConfigLoader.unknownVariables(context.environment()).forEach(warning -> context.err().println("warning: " + warning));
        AppConfig config = new ConfigLoader().load(context.environment(), cli.configFile);
        LogLines.install(config.logging());
        FilesApp app;
        try {
            app = FilesApp.start(config, context.out());
        } catch (StorageException e) {
            context.err().println("cannot start: " + e.getMessage());
            return 1;
        } catch (ManagementServer.CannotListen e) {
            context.err().println(e.getMessage());
            return 1;
        } catch (java.io.IOException e) {
            context.err().println("cannot start the HTTP server on " + config.host() + ":" + config.port() + ": "
                    + e.getMessage() + " (" + bindAdvice(config.host()) + ")");
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stoppedBySignal = true;
            app.close();
            stopped.countDown();
        }, "files-shutdown"));
        stopped.await();
        return 0;
    }

    /** True once a server was stopped by a signal: the JVM is exiting with the signal's status already. */
    static boolean stoppedBySignal() {
        return stoppedBySignal;
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
}
