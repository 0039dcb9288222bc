package dev.filestaging.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's configuration tables and the loader name the same settings: none undocumented, none imagined. */
class ReadmeConfigurationTest {
    private static final Pattern TABLE_KEY = Pattern.compile("(?m)^\\| `(FILES_[A-Z0-9_]+)(\\.[^`]*)?` \\|");

    @Test
    void every_setting_has_a_row_in_the_readme_and_every_row_is_a_setting() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        Set<String> documented = new TreeSet<>();
        Set<String> documentedFamilies = new TreeSet<>();
        Matcher row = TABLE_KEY.matcher(readme);
        while (row.find()) {
            (row.group(2) == null ? documented : documentedFamilies).add(row.group(1) + (row.group(2) == null ? "" : "."));
        }

        assertThat(documented).containsExactlyInAnyOrderElementsOf(ConfigLoader.KEYS);
        assertThat(documentedFamilies).containsExactlyInAnyOrderElementsOf(ConfigLoader.FAMILIES);
        assertThat(readme).contains("`" + ConfigLoader.CONFIG_FILE + "=");
    }

    /** A declared default is the one the README's row gives first (rows whose default is computed say so in words). */
    @Test
    void every_declared_default_is_the_readmes() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        for (Setting<?> setting : ConfigLoader.SETTINGS) {
            Matcher row = Pattern.compile("(?m)^\\| `" + Pattern.quote(setting.key()) + "` \\| ([^|]*) \\|").matcher(readme);
            assertThat(row.find()).as(setting.key()).isTrue();
            String documented = row.group(1).strip();
            if (setting.fallback() == null || !documented.startsWith("`")) {
                continue; // no default, or one described in words
            }
            String first = documented.substring(1, documented.indexOf('`', 1));
            assertThat(first).as("the README's default of " + setting.key())
                    .isEqualTo(setting.fallback() instanceof Path ? "./" + setting.defaultText() : setting.defaultText());
        }
    }
}
