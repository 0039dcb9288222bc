package dev.filestaging.ports;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A content digest as Polaris reports it.
 *
 * @param algo the algorithm, {@code md5}
 * @param hash upper-case hexadecimal
 */
public record Digest(String algo, String hash) {
    private static final Pattern UPPER_HEX = Pattern.compile("[0-9A-F]+");

    public Digest {
        Objects.requireNonNull(algo, "algo");
        Objects.requireNonNull(hash, "hash");
        if (!UPPER_HEX.matcher(hash).matches()) {
            throw new IllegalArgumentException("digest hash must be upper-case hex");
        }
    }

    public static Digest md5(String upperHex) {
        return new Digest("md5", upperHex);
    }
}
