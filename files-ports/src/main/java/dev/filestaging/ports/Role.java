package dev.filestaging.ports;

import java.util.Arrays;
import java.util.Optional;

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
}
