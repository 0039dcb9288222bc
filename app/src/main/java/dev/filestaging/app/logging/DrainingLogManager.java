package dev.filestaging.app.logging;

import java.util.logging.LogManager;

/**
 * java.util.logging's manager, except that it is not reset when the JVM shuts down. The standard one closes every
 * handler from its shutdown hook, while a SIGTERM'd server is still letting uploads finish: their access-log lines
 * (and any error they meet) were lost. Our handlers flush every record, so nothing is left to close.
 * {@link dev.filestaging.app.cli.Main} names it in {@code java.util.logging.manager} before anything logs.
 */
public final class DrainingLogManager extends LogManager {
    private volatile boolean configured;

    @Override
    public void readConfiguration() throws java.io.IOException, SecurityException {
        super.readConfiguration();
        configured = true;
    }

    /** Resets while being configured, as usual; the reset of the shutdown hook is skipped. */
    @Override
    public void reset() {
        if (!configured) {
            super.reset();
        }
    }
}
