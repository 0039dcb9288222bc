package dev.filestaging.domain.formats;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** The first bytes of a file (or of its decompressed content), all that detection ever looks at. */
public record ContentPrefix(byte[] bytes) {

    /** Enough for every signature we know (tar's is at offset 257) and a first line of text. */
    public static final int SIZE = 8192;

    public ContentPrefix {
        bytes = bytes.clone();
    }

    public static ContentPrefix of(byte[] buffer, int length) {
        return new ContentPrefix(Arrays.copyOf(buffer, length));
    }

    int length() {
        return bytes.length;
    }

    boolean startsWith(int... signature) {
        return hasAt(0, signature);
    }

    boolean hasAt(int offset, int... signature) {
        if (bytes.length < offset + signature.length) {
            return false;
        }
        for (int i = 0; i < signature.length; i++) {
            if ((bytes[offset + i] & 0xFF) != signature[i]) {
                return false;
            }
        }
        return true;
    }

    boolean hasAsciiAt(int offset, String ascii) {
        return hasAt(offset, toInts(ascii));
    }

    private static int[] toInts(String ascii) {
        byte[] raw = ascii.getBytes(StandardCharsets.US_ASCII);
        int[] ints = new int[raw.length];
        for (int i = 0; i < raw.length; i++) {
            ints[i] = raw[i];
        }
        return ints;
    }
}
