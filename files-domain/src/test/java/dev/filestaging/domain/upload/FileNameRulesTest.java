package dev.filestaging.domain.upload;

import static org.assertj.core.api.Assertions.assertThat;

import java.text.Normalizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FileNameRulesTest {
    private final FileNameRules rules = new FileNameRules();

    @ParameterizedTest
    @ValueSource(strings = {"kttm-2019-08-20.json.gz", "with space.csv", "100%.csv", "%2F.csv", "données-数据.json",
            ".hidden", "a..b", "emoji-😀.csv", "CON", "semi;colon.csv"})
    void ordinary_names_are_kept_as_sent(String name) {
        assertThat(rules.check(name)).isEqualTo(new FileNameRules.Check.Valid(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "a/b.csv", "../etc/passwd", "C:\\temp\\x.csv", "nul\0.csv", "line\nbreak",
            "cr\r.csv", "tab\t.csv", "del\u007f.csv", "   "})
    void names_that_could_be_paths_or_carry_control_characters_are_refused(String name) {
        assertThat(rules.check(name)).isInstanceOf(FileNameRules.Check.Invalid.class);
    }

    @Test
    void the_reason_tells_the_user_what_to_do() {
        assertThat(((FileNameRules.Check.Invalid) rules.check("dir/x.csv")).reason()).contains("without a directory");
    }

    @Test
    void names_are_limited_to_255_characters_counted_as_code_points() {
        assertThat(rules.check("a".repeat(255))).isInstanceOf(FileNameRules.Check.Valid.class);
        assertThat(rules.check("a".repeat(256))).isInstanceOf(FileNameRules.Check.Invalid.class);
        assertThat(rules.check("😀".repeat(255))).isInstanceOf(FileNameRules.Check.Valid.class);
    }

    @Test
    void decomposed_and_composed_spellings_are_one_name() {
        String nfd = Normalizer.normalize("café.csv", Normalizer.Form.NFD);
        assertThat(nfd).isNotEqualTo("café.csv");
        assertThat(rules.check(nfd)).isEqualTo(new FileNameRules.Check.Valid("café.csv"));
    }

    @Test
    void a_lone_surrogate_is_refused() {
        assertThat(rules.check("bad\uD800.csv")).isInstanceOf(FileNameRules.Check.Invalid.class);
    }
}
