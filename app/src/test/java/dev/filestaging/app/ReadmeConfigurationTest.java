package dev.filestaging.app;

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
        assertThat(documentedFamilies).containsExactlyInAnyOrder(ConfigLoader.ORG_QUOTA_PREFIX,
                ConfigLoader.OAUTH_CLIENT_PREFIX, ConfigLoader.OIDC_ISSUER_PREFIX);
        assertThat(readme).contains("`" + ConfigLoader.CONFIG_FILE + "=");
    }
}
