package dev.filestaging.ports;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The organization a staging area, an API key or a token belongs to. Organizations never see each other's files.
 *
 * @param value 1 to 64 characters of {@code [A-Za-z0-9_-]}, starting with a letter or digit; safe as a path segment
 */
public record OrganizationId(String value) {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    public OrganizationId {
        Objects.requireNonNull(value, "organization id");
        if (!VALID.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    "organization id must be 1-64 characters of letters, digits, '_' or '-', got '" + value + "'");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
