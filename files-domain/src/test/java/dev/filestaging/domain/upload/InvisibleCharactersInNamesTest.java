package dev.filestaging.domain.upload;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Characters that make a name show as another (issue 24: {@code rtl}, U+202E, {@code gpj.exe} shows as {@code rtlexe.jpg}), or that
 * no one can see or type, are refused like control characters.
 */
class InvisibleCharactersInNamesTest {
    private final FileNameRules rules = new FileNameRules();

    @ParameterizedTest
    @ValueSource(ints = {0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069, 0x200E, 0x200F,
            0x061C, 0x2028, 0x2029, 0xFFFE, 0xFFFF, 0xFDD0, 0xFDEF, 0x1FFFE, 0x10FFFF, 0x200B, 0x200C, 0x200D, 0xFEFF,
            0x2060})
    void a_name_with_a_direction_override_a_separator_a_noncharacter_or_a_zero_width_character_is_refused(int c) {
        String name = "rtl" + Character.toString(c) + "gpj.exe";
        assertThat(rules.check(name)).isInstanceOfSatisfying(FileNameRules.Check.Invalid.class, invalid ->
                assertThat(invalid.reason()).contains("U+%04X".formatted(c)));
    }

    @Test
    void the_reason_says_what_kind_of_character_it_is() {
        assertThat(((FileNameRules.Check.Invalid) rules.check("rtl\u202Egpj.exe")).reason())
                .contains("changes the direction of the text");
        assertThat(((FileNameRules.Check.Invalid) rules.check("a\u200Bb.csv")).reason()).contains("invisible");
        assertThat(((FileNameRules.Check.Invalid) rules.check("a\uFFFEb.csv")).reason()).contains("not a character");
    }

    @Test
    void neighbours_of_the_refused_ranges_are_kept() {
        for (String name : new String[] {"a\u2010b.csv", "a\u2027b.csv", "a\u202Fb.csv", "a\u2065b.csv",
                "a\uFFFDb.csv", "a\uFDCFb.csv", "a\uFDF0b.csv", "عربي.csv", "עברית.csv", "a\u00A0b.csv"}) {
            assertThat(rules.check(name)).as(name).isInstanceOf(FileNameRules.Check.Valid.class);
        }
    }
}
