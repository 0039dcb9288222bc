package dev.filestaging.ports;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Permissions a principal can carry, with the names Polaris uses. */
public enum Role {
    /** Upload, list, read and delete files. */
    MANAGE_FILES("ManageFiles"),
    /** List files and read their metadata; nothing that changes them. */
    READ_FILES("ReadFiles");

    private final String wireName;

    Role(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<Role> fromWireName(String name) {
        return Arrays.stream(values()).filter(r -> r.wireName.equals(name)).findFirst();
    }

    /** Roles as stored in a record line: wire names, sorted, comma-separated. */
    public static String joinWireNames(Set<Role> roles) {
        return roles.stream().map(Role::wireName).sorted().collect(Collectors.joining(","));
    }

    /** Reads {@link #joinWireNames}; names it does not know are dropped, so a record never gains a role by a typo. */
    public static Set<Role> fromWireNames(String joined) {
        return Arrays.stream(joined.split(",")).map(Role::fromWireName).flatMap(Optional::stream)
                .collect(Collectors.toUnmodifiableSet());
    }
}
