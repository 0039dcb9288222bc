package dev.filestaging.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.Role;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GrantOptionsTest {

    @Test
    void an_organization_and_roles_default_to_manage_files() {
        assertThat(GrantOptions.parse(List.of("--org", "acme")))
                .isEqualTo(new GrantOptions(new OrganizationId("acme"), Set.of(Role.MANAGE_FILES)));
        assertThat(GrantOptions.parse(List.of("--role", "ReadFiles", "--org", "acme")).roles())
                .containsExactly(Role.READ_FILES);
    }

    @Test
    void missing_unknown_and_invalid_options_say_what_is_wrong() {
        assertThatThrownBy(() -> GrantOptions.parse(List.of())).hasMessageContaining("--org is required");
        assertThatThrownBy(() -> GrantOptions.parse(List.of("--org"))).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> GrantOptions.parse(List.of("--org", "acme", "--role", "Admin")))
                .hasMessageContaining("unknown role 'Admin'");
        assertThatThrownBy(() -> GrantOptions.parse(List.of("--org", "../x"))).hasMessageContaining("organization id");
        assertThatThrownBy(() -> GrantOptions.parse(List.of("--user", "x"))).hasMessageContaining("unknown option --user");
    }
}
