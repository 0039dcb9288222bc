package dev.filestaging.app.config;

import java.util.List;
import java.util.Map;
import java.util.logging.Level;

/** How the process logs, declared once: plain lines or JSON lines, and from which level. */
public final class LogConfiguration {
    private LogConfiguration() {}

    public enum Format { TEXT, JSON }

    /** The usual level names, each the least severe level written. */
    enum Threshold {
        ERROR(Level.SEVERE), WARN(Level.WARNING), INFO(Level.INFO), DEBUG(Level.FINE), TRACE(Level.FINEST);

        final Level jul;

        Threshold(Level jul) {
            this.jul = jul;
        }
    }

    static final Setting<Format> FORMAT = Setting.choice("FILES_LOG_FORMAT",
            Map.of("text", Format.TEXT, "json", Format.JSON), Format.TEXT, "'text' or 'json' (one JSON object a line)");
    static final Setting<Threshold> LEVEL = Setting.choice("FILES_LOG_LEVEL",
            Map.of("error", Threshold.ERROR, "warn", Threshold.WARN, "info", Threshold.INFO, "debug", Threshold.DEBUG,
                    "trace", Threshold.TRACE), Threshold.INFO, "'error', 'warn', 'info', 'debug' or 'trace'");

    static final List<Setting<?>> DECLARED = List.of(FORMAT, LEVEL);

    /** @param level the least severe level written */
    public record Logging(Format format, Level level) {}

    static Logging read(Map<String, String> values) {
        return new Logging(FORMAT.read(values), LEVEL.read(values).jul);
    }
}
