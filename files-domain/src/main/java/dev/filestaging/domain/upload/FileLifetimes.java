package dev.filestaging.domain.upload;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How long staged files are kept: what a client may ask for ({@code expiresAfterSeconds}, between {@link #MINIMUM} and
 * {@code maximum}) and what a file gets when it asks for nothing (the deployment's default, or no expiry).
 *
 * @param byDefault what a file gets when its upload asks for nothing; empty: kept until deleted
 * @param maximum   the longest a client may ask for
 */
public record FileLifetimes(Optional<Duration> byDefault, Duration maximum) {

    /** The shortest lifetime a client may ask for: the expiry sweep's precision is a minute. */
    public static final Duration MINIMUM = Duration.ofSeconds(60);

    /** No default expiry; clients may ask for up to a year. */
    public static final FileLifetimes KEPT_UNTIL_DELETED = new FileLifetimes(Optional.empty(), Duration.ofDays(365));

    public FileLifetimes {
        Objects.requireNonNull(byDefault, "byDefault");
        Objects.requireNonNull(maximum, "maximum");
        if (maximum.compareTo(MINIMUM) < 0) {
            throw new IllegalArgumentException("the longest lifetime is at least " + MINIMUM.toSeconds() + " s");
        }
        byDefault.ifPresent(lifetime -> {
            if (lifetime.compareTo(MINIMUM) < 0 || lifetime.compareTo(maximum) > 0) {
                throw new IllegalArgumentException("the default lifetime is between " + MINIMUM.toSeconds() + " s and "
                        + maximum.toSeconds() + " s, not " + lifetime.toSeconds() + " s");
            }
        });
    }

    /** Why a client may not ask for {@code requested} (null: asked for nothing); empty when it may. */
    public Optional<String> refusal(Duration requested) {
        if (requested == null || (requested.compareTo(MINIMUM) >= 0 && requested.compareTo(maximum) <= 0)) {
            return Optional.empty();
        }
        return Optional.of("expiresAfterSeconds must be between " + MINIMUM.toSeconds() + " and " + maximum.toSeconds()
                + ", not " + requested.toSeconds());
    }

    /** What a file is kept for when its upload asked for {@code requested} (null: nothing); null: until deleted. */
    public Duration resolve(Duration requested) {
        return requested != null ? requested : byDefault.orElse(null);
    }
}
