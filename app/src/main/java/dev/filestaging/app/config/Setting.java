package dev.filestaging.app.config;

import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * One configuration setting, declared once: its key, what it accepts (in words, for the error message and the README),
 * its default, and how a value is read and checked. A bad value stops start-up with a message naming the key.
 *
 * @param accepted what a value may be, such as "a TCP port from 0 to 65535"; the message adds the default
 * @param fallback the value when the key is absent or blank; null when there is none
 * @param parse    turns the stripped text into the value; throws IllegalArgumentException when it is not acceptable
 */
public record Setting<T>(String key, String accepted, T fallback, Function<String, T> parse) {

    /** The value in {@code values}, the default when absent or blank. */
    T read(Map<String, String> values) {
        String raw = values.get(key);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            return parse.apply(raw.strip());
        } catch (IllegalArgumentException notAcceptable) {
            throw new ConfigException(key + " must be " + accepted
                    + (fallback == null ? "" : " (default " + defaultText() + ")") + ", got '" + raw + "'");
        }
    }

    /** The default as it would be written in a config file. */
    String defaultText() {
        return fallback instanceof Enum<?> word ? word.name().toLowerCase(Locale.ROOT) : String.valueOf(fallback);
    }

    /** A whole number from {@code min} to {@code max}; underscores may group digits. */
    static Setting<Long> number(String key, long min, long max, Long fallback, String accepted) {
        return new Setting<>(key, accepted, fallback, text -> {
            long value = Long.parseLong(text.replace("_", ""));
            if (value < min || value > max) {
                throw new IllegalArgumentException(value + " is out of range");
            }
            return value;
        });
    }

    /** {@code true/yes/1} or {@code false/no/0}. */
    static Setting<Boolean> bool(String key, Boolean fallback) {
        return new Setting<>(key, "true or false", fallback, text -> switch (text.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new IllegalArgumentException("not a boolean");
        });
    }

    /** Free text. */
    static Setting<String> text(String key, String fallback, String accepted) {
        return new Setting<>(key, accepted, fallback, text -> text);
    }

    /** One of a few words, case-insensitive. */
    static <E> Setting<E> choice(String key, Map<String, E> words, E fallback, String accepted) {
        return new Setting<>(key, accepted, fallback, text -> {
            E value = words.get(text.toLowerCase(Locale.ROOT));
            if (value == null) {
                throw new IllegalArgumentException("not one of " + words.keySet());
            }
            return value;
        });
    }
}
