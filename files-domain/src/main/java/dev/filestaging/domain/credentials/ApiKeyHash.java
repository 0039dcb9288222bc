package dev.filestaging.domain.credentials;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * How API keys are stored: SHA-256 of the key. Keys are 256 random bits, so a fast hash is enough (no dictionary to
 * guess from), and lookup by hash compares no secret byte by byte.
 */
public final class ApiKeyHash {
    private ApiKeyHash() {}

    public static String of(String key) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }
}
