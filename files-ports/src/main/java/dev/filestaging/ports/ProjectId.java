package dev.filestaging.ports;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A project inside an organization. The short URL form {@code /v1/files} addresses the {@link #DEFAULT} project.
 *
 * @param value 1 to 64 characters of {@code [A-Za-z0-9_-]}, any of them first (Polaris uses UUIDs): the pattern the
 *              API document and the README give clients, {@link #PATTERN}
 */
public record ProjectId(String value) {
    /** As the API document's {@code projectId} parameter states it. */
    public static final String PATTERN = "^[A-Za-z0-9_-]{1,64}$";
    private static final Pattern VALID = Pattern.compile(PATTERN);
    public static final ProjectId DEFAULT = new ProjectId("default");

    public ProjectId {
        Objects.requireNonNull(value, "project id");
        if (!VALID.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    "project id must be 1-64 characters of letters, digits, '_' or '-'");
        }
    }

    /** Whether {@code candidate} would make a valid project id, so callers can answer "not found" instead of failing. */
    public static boolean isValid(String candidate) {
        return candidate != null && VALID.matcher(candidate).matches();
    }

    @Override
    public String toString() {
        return value;
    }
}
