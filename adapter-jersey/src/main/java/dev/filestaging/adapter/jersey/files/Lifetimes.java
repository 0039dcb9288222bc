package dev.filestaging.adapter.jersey.files;

import dev.filestaging.adapter.jersey.problems.Problems;
import java.time.Duration;

/**
 * The {@code expiresAfterSeconds} a client gives an upload (a query parameter, a form field before the file, a tus
 * metadata key), read as a whole number of seconds; the domain decides whether it is allowed.
 */
public final class Lifetimes {
    /** Its name wherever it is given. */
    public static final String PARAMETER = "expiresAfterSeconds";

    private Lifetimes() {
    }

    /**
     * The lifetime {@code text} gives; null when it is absent (an empty value is refused: it asks for something).
     *
     * @throws dev.filestaging.adapter.jersey.problems.ApiProblem 400 when it is not a whole number of seconds
     */
    public static Duration parse(String text) {
        if (text == null) {
            return null;
        }
        if (text.isEmpty() || text.length() > 12 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw Problems.invalidExpiry(PARAMETER + " must be a whole number of seconds from 60 to the deployment's"
                    + " longest file lifetime, not '" + (text.length() > 40 ? text.substring(0, 40) + "..." : text)
                    + "'");
        }
        return Duration.ofSeconds(Long.parseLong(text));
    }
}
