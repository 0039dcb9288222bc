package dev.filestaging.ports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    }
}
