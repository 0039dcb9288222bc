package dev.filestaging.adapter.jersey.feed;

import dev.filestaging.adapter.jersey.problems.Problems;

/** Whole-number query parameters within bounds, refused with a clear 400 otherwise. */
final class QueryNumbers {
    private QueryNumbers() {
    }

    /** {@code text} as a number from {@code min} to {@code max}; {@code absent} when it is absent or empty. */
    static int within(String parameter, String text, int absent, int min, int max) {
        if (text == null || text.isEmpty()) {
            return absent;
        }
        if (text.length() > 10 || !text.chars().allMatch(c -> c >= '0' && c <= '9')
                || Long.parseLong(text) < min || Long.parseLong(text) > max) {
            throw Problems.invalidQuery(parameter, "must be a whole number from " + min + " to " + max);
        }
        return Integer.parseInt(text);
    }
}
