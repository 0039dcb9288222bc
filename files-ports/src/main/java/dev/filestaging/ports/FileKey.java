package dev.filestaging.ports;

import java.util.Objects;

/**
 * Where a staged file lives: its area and its name. The name is already valid and normalized by the domain's naming
 * rules when it reaches a storage port; storage adapters must not interpret it as a path.
 */
public record FileKey(StagingArea area, String name) {
    public FileKey {
        Objects.requireNonNull(area, "area");
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("file name must not be empty");
        }
    }
}
