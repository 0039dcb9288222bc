package dev.filestaging.ports;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A shell-style pattern on file names: {@code *} any run of characters, {@code ?} one character, {@code [abc]},
 * {@code [a-z]} and {@code [!abc]} one of (or none of) a set, {@code \} takes the next character literally. Names
 * have no directories, so {@code *} matches every character.
 */
public final class NameGlob {
    /** Matches every name. */
    public static final NameGlob ANY = new NameGlob("*");

    private final String pattern;
    private final Pattern regex;

    /** @throws IllegalArgumentException the pattern is malformed; the message says how */
    public NameGlob(String pattern) {
        this.pattern = Objects.requireNonNull(pattern, "pattern");
        this.regex = toRegex(pattern);
    }

    public boolean matches(String name) {
        return this == ANY || regex.matcher(name).matches();
    }

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

    private static Pattern toRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                case '\\' -> {
                    if (++i == glob.length()) {
                        throw new IllegalArgumentException("the pattern ends with a lone \\");
                    }
                    regex.append(Pattern.quote(String.valueOf(glob.charAt(i))));
                }
                case '[' -> i = appendSet(glob, i, regex);
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    /** Appends the set that starts at {@code open}; returns the index of its closing bracket. */
    private static int appendSet(String glob, int open, StringBuilder regex) {
        int i = open + 1;
        StringBuilder set = new StringBuilder("[");
        if (i < glob.length() && (glob.charAt(i) == '!' || glob.charAt(i) == '^')) {
            set.append('^');
            i++;
        }
        boolean first = true;
        for (; i < glob.length(); i++, first = false) {
            char c = glob.charAt(i);
            if (c == ']' && !first) {
                regex.append(set).append(']');
                return i;
            }
            if (c == '-' && !first && i + 1 < glob.length() && glob.charAt(i + 1) != ']') {
                set.append('-');
            } else if (Character.isLetterOrDigit(c)) {
                set.append(c);
            } else {
                set.append('\\').append(c); // literal in a set; a backslash before a letter would be an escape
            }
        }
        throw new IllegalArgumentException("a [ in the pattern is not closed by ]");
    }
}
