package dev.filestaging.app.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** How long files and events are kept, and where webhooks may deliver. */
public final class EventsConfiguration {
    private EventsConfiguration() {}

    static final Setting<Long> DEFAULT_FILE_TTL = Setting.number("FILES_DEFAULT_FILE_TTL_SECONDS", 0, 31_536_000, 0L,
            "a number of seconds: 0 (files are kept until deleted) or 60 to 31536000");
    static final Setting<Long> MAX_FILE_TTL = Setting.number("FILES_MAX_FILE_TTL_SECONDS", 60, 31_536_000, 31_536_000L,
            "a number of seconds from 60 to 31536000 (a year)");
    static final Setting<Long> RETENTION = Setting.number("FILES_EVENTS_RETENTION_HOURS", 1, 24 * 365, 7 * 24L,
            "a number of hours from 1 to 8760 (168 is a week)");
    static final Setting<Boolean> ALLOW_PRIVATE_TARGETS = Setting.bool("FILES_WEBHOOKS_ALLOW_PRIVATE_TARGETS", false);
    static final Setting<Long> TIMEOUT = Setting.number("FILES_WEBHOOKS_TIMEOUT_SECONDS", 1, 60, 10L,
            "a number of seconds from 1 to 60: how long an endpoint may take to answer a delivery");

    static final List<Setting<?>> DECLARED = List.of(DEFAULT_FILE_TTL, MAX_FILE_TTL, RETENTION, ALLOW_PRIVATE_TARGETS,
            TIMEOUT);

    /**
     * @param defaultFileLifetime what a file is kept for when its upload asks for nothing; empty: until deleted
     * @param maxFileLifetime     the longest an upload may ask for
     * @param retention           how long the change feed keeps an event
     * @param allowPrivateTargets whether webhooks may deliver to loopback, link-local and private addresses
     * @param deliveryTimeout     how long an endpoint may take to answer a delivery
     */
    public record Events(Optional<Duration> defaultFileLifetime, Duration maxFileLifetime, Duration retention,
                         boolean allowPrivateTargets, Duration deliveryTimeout) {}

    static Events read(Map<String, String> values) {
        long byDefault = DEFAULT_FILE_TTL.read(values);
        long longest = MAX_FILE_TTL.read(values);
        if (byDefault != 0 && byDefault < 60) {
            throw new ConfigException(DEFAULT_FILE_TTL.key() + "=" + byDefault + " is too short: 0 (no expiry) or 60 s"
                    + " and more");
        }
        if (byDefault > longest) {
            throw new ConfigException(DEFAULT_FILE_TTL.key() + "=" + byDefault + " is longer than "
                    + MAX_FILE_TTL.key() + "=" + longest + "; raise the longest or shorten the default");
        }
        return new Events(byDefault == 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(byDefault)),
                Duration.ofSeconds(longest), Duration.ofHours(RETENTION.read(values)),
                ALLOW_PRIVATE_TARGETS.read(values), Duration.ofSeconds(TIMEOUT.read(values)));
    }
}
