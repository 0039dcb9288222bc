package dev.filestaging.app;

import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.Role;
import java.util.EnumSet;
import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code --org ORGANIZATION [--role ROLE]...} options of the commands that create credentials. Without a role,
 * {@code ManageFiles}.
 */
record GrantOptions(OrganizationId organization, Set<Role> roles) {

    /**
     * Reads the options.
     *
     * @throws IllegalArgumentException with a message for the user when an option is missing, unknown or invalid
     */
    static GrantOptions parse(List<String> given) {
        List<String> options = Main.splitEquals(given);
        OrganizationId organization = null;
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (int i = 0; i < options.size(); i += 2) {
            String flag = options.get(i);
            if (i + 1 >= options.size()) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            String value = options.get(i + 1);
            switch (flag) {
                case "--org" -> organization = new OrganizationId(value);
                case "--role" -> roles.add(Role.fromWireName(value).orElseThrow(() -> new IllegalArgumentException(
                        "unknown role '" + value + "'; roles: ManageFiles, ReadFiles")));
                default -> throw new IllegalArgumentException("unknown option " + flag);
            }
        }
        if (organization == null) {
            throw new IllegalArgumentException("--org is required");
        }
        if (roles.isEmpty()) {
            roles.add(Role.MANAGE_FILES);
        }
        return new GrantOptions(organization, roles);
    }

    /** Reads the options, or explains to {@code err} what is wrong with them, followed by {@code usage}. */
    static Optional<GrantOptions> parseOrExplain(List<String> options, String usage, PrintStream err) {
        try {
            return Optional.of(parse(options));
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage() + "\n" + usage);
            return Optional.empty();
        }
    }
}
