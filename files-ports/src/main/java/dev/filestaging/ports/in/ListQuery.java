package dev.filestaging.ports.in;

import dev.filestaging.ports.NameGlob;
import java.util.Objects;

/**
 * One page of a listing.
 *
 * @param after   the name the previous page ended with (exclusive), or null for the first page
 * @param limit   at most this many files, 1 to {@link #MAX_LIMIT}
 * @param names   only names matching this
 */
public record ListQuery(String after, int limit, NameGlob names) {
    public static final int DEFAULT_LIMIT = 1000;
    public static final int MAX_LIMIT = 10_000;

    public ListQuery {
        Objects.requireNonNull(names, "names");
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1 to " + MAX_LIMIT + ", got " + limit);
        }
    }
}
