package dev.filestaging.ports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class NameGlobTest {

    @Test
    void stars_questions_and_sets_match_like_a_shell() {
        assertThat(new NameGlob("*.csv").matches("2024 sales.csv")).isTrue();
        assertThat(new NameGlob("*.csv").matches("sales.csv.gz")).isFalse();
        assertThat(new NameGlob("day-??.json").matches("day-07.json")).isTrue();
        assertThat(new NameGlob("day-??.json").matches("day-7.json")).isFalse();
        assertThat(new NameGlob("part-[0-4]*").matches("part-3.parquet")).isTrue();
        assertThat(new NameGlob("part-[!0-4]*").matches("part-3.parquet")).isFalse();
        assertThat(new NameGlob("[]x]").matches("]")).isTrue();
        assertThat(new NameGlob("a\\*").matches("a*")).isTrue();
        assertThat(new NameGlob("a\\*").matches("ab")).isFalse();
    }

    @Test
    void regex_characters_are_literal() {
        assertThat(new NameGlob("a.b(c)+$^{1}|x").matches("a.b(c)+$^{1}|x")).isTrue();
        assertThat(new NameGlob("a.b").matches("axb")).isFalse();
        assertThat(new NameGlob("[.]").matches("x")).isFalse();
    }

    @Test
    void malformed_patterns_say_why() {
        assertThatThrownBy(() -> new NameGlob("[abc")).hasMessageContaining("not closed");
        assertThatThrownBy(() -> new NameGlob("abc\\")).hasMessageContaining("lone");
        assertThatThrownBy(() -> new NameGlob("[z-a]")).hasMessageContaining("backwards");
    }

    @Test
    void a_question_mark_is_one_character_also_outside_the_basic_plane() {
        assertThat(new NameGlob("?.csv").matches("\uD83D\uDCC8.csv")).isTrue();
        assertThat(new NameGlob("??.csv").matches("\uD83D\uDCC8.csv")).isFalse();
        assertThat(new NameGlob("[!a].csv").matches("\uD83D\uDCC8.csv")).isTrue();
    }

    @Test
    void the_pattern_is_normalized_like_the_names() {
        // names are stored in NFC: "é" typed on macOS (e + combining acute) must find them
        assertThat(new NameGlob("caf\u0065\u0301*").matches("caf\u00e9.csv")).isTrue();
        assertThat(new NameGlob("caf\u0065\u0301*")).isEqualTo(new NameGlob("caf\u00e9*"));
    }

    @Test
    void a_pattern_longer_than_the_bound_is_refused() {
        assertThat(new NameGlob("?".repeat(NameGlob.MAX_LENGTH)).matches("a".repeat(NameGlob.MAX_LENGTH))).isTrue();
        assertThatThrownBy(() -> new NameGlob("?".repeat(NameGlob.MAX_LENGTH + 1)))
                .hasMessageContaining("longer than " + NameGlob.MAX_LENGTH);
    }

    /** The patterns of issue 24, which took 24 s and over 120 s as a backtracking regex. */
    @Test
    void patterns_that_made_the_regex_backtrack_match_at_once() {
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
            assertThat(new NameGlob("************Z").matches("a".repeat(24))).isFalse();
            String longName = "a".repeat(255);
            for (int i = 0; i < 20; i++) {
                assertThat(new NameGlob("*a*a*a*a*a*b").matches(longName)).isFalse();
                assertThat(new NameGlob("*a*a*a*b").matches(longName)).isFalse();
                assertThat(new NameGlob("*?*?*?*?*?*?*?*?*?*?*?*?*b").matches(longName)).isFalse();
            }
        });
    }

    /**
     * The same answers as the regex translation this class used before (kept below as the oracle), on random short
     * patterns and names over an alphabet of the characters that mean something in a glob or a set.
     */
    @Test
    void matches_exactly_as_the_former_regex_translation_did() {
        long seed = 24L;
        Random random = new Random(seed);
        String patternAlphabet = "ab-]![^\\*?é";
        String nameAlphabet = "ab-]![^\\*?é";
        int compared = 0;
        for (int round = 0; round < 200_000; round++) {
            String pattern = randomString(random, patternAlphabet, 8);
            Pattern oracle;
            try {
                oracle = RegexGlob.toRegex(pattern);
            } catch (IllegalArgumentException malformed) {
                assertThatThrownBy(() -> new NameGlob(pattern)).as("pattern %s", pattern)
                        .isInstanceOf(IllegalArgumentException.class);
                continue;
            }
            NameGlob glob = new NameGlob(pattern);
            for (int n = 0; n < 5; n++) {
                String name = randomString(random, nameAlphabet, 6);
                assertThat(glob.matches(name)).as("pattern %s on name %s (seed %d)", pattern, name, seed)
                        .isEqualTo(oracle.matcher(name).matches());
                compared++;
            }
        }
        assertThat(compared).as("enough well-formed patterns were drawn").isGreaterThan(300_000);
    }

    private static String randomString(Random random, String alphabet, int maxLength) {
        int length = random.nextInt(maxLength + 1);
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    /** The translation to a regex that NameGlob used until issue 24, as it was. */
    private static final class RegexGlob {
        static Pattern toRegex(String glob) {
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

        static int appendSet(String glob, int open, StringBuilder regex) {
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
                    set.append('\\').append(c);
                }
            }
            throw new IllegalArgumentException("a [ in the pattern is not closed by ]");
        }
    }
}
