package dev.filestaging.app.config;

/** Configuration that cannot work; the message names the key and what it accepts. Start-up stops on it. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
