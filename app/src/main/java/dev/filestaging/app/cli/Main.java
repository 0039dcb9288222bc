package dev.filestaging.app.cli;

/** {@code java -jar files-app.jar [--config FILE] [serve | api-key ... | oauth-client ... | signing-key ...]}. */
public final class Main {
    /** The {@link dev.filestaging.app.logging.DrainingLogManager}, by name (MainTest checks the name). */
    static final String LOG_MANAGER = "dev.filestaging.app.logging.DrainingLogManager";

    private Main() {}

    public static void main(String[] args) {
        // first, and by name: touching the class would initialize java.util.logging before the property is read
        if (System.getProperty("java.util.logging.manager") == null) {
            System.setProperty("java.util.logging.manager", LOG_MANAGER);
        }
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tLZ %4$s %3$s: %5$s%6$s%n");
        }
        int code = Cli.commandLine(new Cli.Context(System.getenv(), System.out, System.err)).execute(args);
        // a server that stopped on SIGTERM is already exiting (with 143); calling exit from here would wait for that
        if (!ServeCommand.stoppedBySignal()) {
            System.exit(code);
        }
    }
}
