package dev.filestaging.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ArchitectureTest {

    private static final JavaClasses PRODUCT = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            // the modules' test-jars (fixtures, contract tests) are on this module's test classpath, not in the product
            .withImportOption(location -> !location.contains("-tests.jar"))
            .importPackages("dev.filestaging");

    /** A tree that breaks every rule once; see the classes under archfixture.bad. */
    private static final JavaClasses BROKEN = new ClassFileImporter().importPackages("archfixture.bad");

    static List<ArchitectureRules.NamedRule> productRules() {
        return ArchitectureRules.forRoot("dev.filestaging");
    }

    static List<ArchitectureRules.NamedRule> brokenRules() {
        return ArchitectureRules.forRoot("archfixture.bad");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("productRules")
    void the_product_keeps_the_rule(ArchitectureRules.NamedRule rule) {
        rule.rule().check(PRODUCT);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenRules")
    void the_rule_catches_a_deliberate_violation(ArchitectureRules.NamedRule rule) {
        assertThat(rule.rule().evaluate(BROKEN).hasViolation()).as(rule.name()).isTrue();
    }

    @org.junit.jupiter.api.Test
    void every_module_is_imported_so_no_rule_passes_vacuously() {
        for (String module : List.of("ports", "domain", "storage.records", "adapter.localfs", "adapter.s3", "adapter.postgres", "adapter.oidc", "adapter.jersey", "app")) {
            assertThat(PRODUCT.stream().anyMatch(c -> c.getPackageName().startsWith("dev.filestaging." + module)))
                    .as(module).isTrue();
        }
    }
}
