package dev.filestaging.domain.storage;

import java.security.SecureRandom;
import java.util.Base64;

/** New blob ids: random, so that no two files or uploads ever share a blob and a blob's name tells nothing. */
final class BlobIds {
    private static final SecureRandom RANDOM = new SecureRandom();

    private BlobIds() {}

    static String next() {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
