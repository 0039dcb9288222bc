package dev.filestaging.adapter.jersey.events;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Signing secrets as Standard Webhooks serializes them: {@code whsec_} and the Base64 of a random key. The prefix
 * tells a secret from other credentials at a glance (and to secret scanners); the key is what HMAC uses.
 */
public final class WebhookSecrets {
    public static final String PREFIX = "whsec_";
    /** 192 bits, the least the specification allows for a symmetric key. */
    static final int KEY_BYTES = 24;

    private static final SecureRandom RANDOM = new SecureRandom();

    private WebhookSecrets() {}

    /** A new secret of {@value #KEY_BYTES} random bytes: {@code whsec_} and 32 Base64 characters. */
    public static String newSecret() {
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        return PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /**
     * The HMAC key of {@code secret}.
     *
     * @throws IllegalArgumentException when it lacks the prefix, or what follows is not Base64 of at least one byte
     */
    public static byte[] key(String secret) {
        if (secret == null || !secret.startsWith(PREFIX)) {
            throw new IllegalArgumentException("a signing secret starts with " + PREFIX);
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(secret.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            // the decoder's message would quote part of the secret
            throw new IllegalArgumentException("a signing secret is " + PREFIX + " and Base64");
        }
        if (key.length == 0) {
            throw new IllegalArgumentException("a signing secret has a key after " + PREFIX);
        }
        return key;
    }
}
