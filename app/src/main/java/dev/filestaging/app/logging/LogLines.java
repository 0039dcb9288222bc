package dev.filestaging.app.logging;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.filestaging.adapter.jersey.http.RequestIds;
import dev.filestaging.app.config.LogConfiguration;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Every log line of the process, plain or as a JSON object, with the id of the request being served when there is
 * one ({@code request=...}), so that all lines of one request can be found from its {@code X-Request-Id}.
 */
public final class LogLines extends Formatter {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final LogConfiguration.Format format;

    LogLines(LogConfiguration.Format format) {
        this.format = format;
    }

    /** Sends the root logger's lines to standard error in {@code logging}'s format, from its level. */
    public static void install(LogConfiguration.Logging logging) {
        Logger root = Logger.getLogger("");
        for (Handler handler : root.getHandlers()) {
            root.removeHandler(handler);
        }
        Handler console = new ConsoleHandler();
        console.setFormatter(new LogLines(logging.format()));
        console.setLevel(logging.level());
        root.addHandler(console);
        root.setLevel(logging.level());
    }

    @Override
    public String format(LogRecord record) {
        String message = formatMessage(record);
        String request = RequestIds.current().orElse(null);
        String level = level(record);
        if (format == LogConfiguration.Format.JSON) {
            ObjectNode line = JSON.createObjectNode()
                    .put("time", Instant.ofEpochMilli(record.getMillis()).toString())
                    .put("level", level)
                    .put("logger", record.getLoggerName())
                    .put("message", message);
            if (request != null) {
                line.put("requestId", request);
            }
            if (record.getThrown() != null) {
                line.put("error", stackTrace(record.getThrown()));
            }
            return line.toString() + System.lineSeparator();
        }
        return Instant.ofEpochMilli(record.getMillis()) + " " + level + " " + record.getLoggerName() + ": " + message
                + (request == null ? "" : " request=" + request) + System.lineSeparator()
                + (record.getThrown() == null ? "" : stackTrace(record.getThrown()));
    }

    /** The usual names (ERROR, WARN, INFO, DEBUG, TRACE), not java.util.logging's (SEVERE, FINE...). */
    private static String level(LogRecord record) {
        int value = record.getLevel().intValue();
        if (value >= java.util.logging.Level.SEVERE.intValue()) {
            return "ERROR";
        }
        if (value >= java.util.logging.Level.WARNING.intValue()) {
            return "WARN";
        }
        if (value >= java.util.logging.Level.INFO.intValue()) {
            return "INFO";
        }
        return value >= java.util.logging.Level.FINE.intValue() ? "DEBUG" : "TRACE";
    }

    private static String stackTrace(Throwable thrown) {
        StringWriter trace = new StringWriter();
        thrown.printStackTrace(new PrintWriter(trace));
        return trace.toString();
    }
}
