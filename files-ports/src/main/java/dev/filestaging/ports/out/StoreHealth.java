package dev.filestaging.ports.out;

import java.util.Objects;

/**
 * Whether a store can serve right now, and if not, why, in words an operator can act on ("the disk has 12 MiB
 * left", "S3 answered 503").
 */
public record StoreHealth(boolean serving, String detail) {
    public static final StoreHealth SERVING = new StoreHealth(true, "serving");

    public StoreHealth {
        Objects.requireNonNull(detail, "detail");
    }

    public static StoreHealth failing(String why) {
        return new StoreHealth(false, why);
    }
}
