package dev.filestaging.ports;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A shell-style pattern on file names: {@code *} any run of characters, {@code ?} one character, {@code [abc]},
 * {@code [a-z]} and {@code [!abc]} (or {@code [^abc]}) one of (or none of) a set, {@code \} takes the next character
 * literally. Names have no directories, so {@code *} matches every character. In a set, {@code ]} first and {@code -}
 * first or last are literal, and so is {@code \}. A character is a Unicode code point, and the pattern is normalized
 * to NFC like the names it is matched against.
 *
 * <p>Matching takes time proportional to the name's length times the pattern's, and no more: a listing cannot be made
 * slow by the pattern. (It used to be a {@link java.util.regex.Pattern}, which backtracks: {@code ************Z}
 * against one 24-character name took 24 s.) The pattern is at most {@link #MAX_LENGTH} characters.
 */
public final class NameGlob {
    /** The longest pattern, in characters: a set per character of the longest name fits in it. */
    public static final int MAX_LENGTH = 1024;

    /** Matches every name. */
    public static final NameGlob ANY = new NameGlob("*");

    private final String pattern;
    /** One step per character matched, and {@link #STAR} for a run of stars (never two stars in a row). */
    private final Step[] steps;
    /** How many steps match exactly one character: the shortest name that can match. */
    private final int fixed;
    private final boolean anyStar;

    /** @throws IllegalArgumentException the pattern is malformed or too long; the message says how */
    public NameGlob(String pattern) {
        Objects.requireNonNull(pattern, "pattern");
        if (pattern.codePointCount(0, pattern.length()) > MAX_LENGTH) {
            throw new IllegalArgumentException("the pattern is longer than " + MAX_LENGTH + " characters");
        }
        this.pattern = Normalizer.normalize(pattern, Normalizer.Form.NFC);
        this.steps = parse(this.pattern.codePoints().toArray());
        this.fixed = (int) Arrays.stream(steps).filter(step -> step != STAR).count();
        this.anyStar = fixed < steps.length;
    }

    /**
     * Whether the whole name matches. The classic greedy match with one point to go back to: a step that fails after
     * a star restarts just after that star, one character further; earlier stars never need to be revisited, since
     * every other step takes exactly one character.
     */
    public boolean matches(String name) {
        if (this == ANY) {
            return true;
        }
        int[] chars = name.codePoints().toArray();
        if (chars.length < fixed || (!anyStar && chars.length != fixed)) {
            return false;
        }
        int step = 0;
        int at = 0;
        int afterStar = -1;
        int resumeAt = 0;
        while (at < chars.length) {
            if (step < steps.length && steps[step] == STAR) {
                afterStar = ++step;
                resumeAt = at;
            } else if (step < steps.length && steps[step].matches(chars[at])) {
                step++;
                at++;
            } else if (afterStar >= 0) {
                step = afterStar;
                at = ++resumeAt;
            } else {
                return false;
            }
        }
        while (step < steps.length && steps[step] == STAR) {
            step++;
        }
        return step == steps.length;
    }

    /** The pattern, in NFC. */
    public String pattern() {
        return pattern;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof NameGlob glob && glob.pattern.equals(pattern);
    }

    @Override
    public int hashCode() {
        return pattern.hashCode();
    }

    @Override
    public String toString() {
        return pattern;
    }

    /** What one step of a pattern accepts. */
    private interface Step {
        boolean matches(int character);
    }

    /** Any run of characters; matched by the loop itself, never asked. */
    private static final Step STAR = character -> {
        throw new AssertionError("a star is matched by the loop");
    };

    private static final Step ANY_ONE = character -> true;

    private record Literal(int character) implements Step {
        @Override
        public boolean matches(int candidate) {
            return candidate == character;
        }
    }

    /** {@code [...]}: inclusive ranges as pairs (a single character is a range of one). */
    private record CharacterSet(int[] ranges, boolean negated) implements Step {
        @Override
        public boolean matches(int candidate) {
            for (int i = 0; i < ranges.length; i += 2) {
                if (candidate >= ranges[i] && candidate <= ranges[i + 1]) {
                    return !negated;
                }
            }
            return negated;
        }
    }

    private static Step[] parse(int[] glob) {
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < glob.length; i++) {
            int c = glob[i];
            switch (c) {
                case '*' -> {
                    if (steps.isEmpty() || steps.get(steps.size() - 1) != STAR) {
                        steps.add(STAR); // a run of stars is one star
                    }
                }
                case '?' -> steps.add(ANY_ONE);
                case '\\' -> {
                    if (++i == glob.length) {
                        throw new IllegalArgumentException("the pattern ends with a lone \\");
                    }
                    steps.add(new Literal(glob[i]));
                }
                case '[' -> i = parseSet(glob, i, steps);
                default -> steps.add(new Literal(c));
            }
        }
        return steps.toArray(Step[]::new);
    }

    /** Adds the set that starts at {@code open}; returns the index of its closing bracket. */
    private static int parseSet(int[] glob, int open, List<Step> steps) {
        int i = open + 1;
        boolean negated = i < glob.length && (glob[i] == '!' || glob[i] == '^');
        if (negated) {
            i++;
        }
        int[] ranges = new int[8];
        int count = 0;
        for (boolean first = true; i < glob.length; first = false) {
            int low = glob[i];
            if (low == ']' && !first) {
                // [a] is a literal, and checked as fast as one
                steps.add(!negated && count == 2 && ranges[0] == ranges[1] ? new Literal(ranges[0])
                        : new CharacterSet(Arrays.copyOf(ranges, count), negated));
                return i;
            }
            int high = low;
            if (i + 2 < glob.length && glob[i + 1] == '-' && glob[i + 2] != ']') {
                high = glob[i + 2];
                if (high < low) {
                    throw new IllegalArgumentException("the range " + new String(glob, i, 3)
                            + " in the pattern goes backwards");
                }
                i += 3;
            } else {
                i++;
            }
            if (count == ranges.length) {
                ranges = Arrays.copyOf(ranges, count * 2);
            }
            ranges[count++] = low;
            ranges[count++] = high;
        }
        throw new IllegalArgumentException("a [ in the pattern is not closed by ]");
    }
}
