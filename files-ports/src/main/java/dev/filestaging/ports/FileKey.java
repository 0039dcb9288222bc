package dev.filestaging.ports;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
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

    /**
     * A stand-in for the name that any store can use as a path segment or object key: 64 lower-case hex digits
     * (SHA-256 of the name's UTF-8 bytes). Names may be up to 255 characters of almost anything, which neither file
     * names (255 bytes) nor S3 keys (1,024 bytes with the prefix) can always hold; equal names give equal stand-ins.
     */
    public String nameDigest() {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }
}
