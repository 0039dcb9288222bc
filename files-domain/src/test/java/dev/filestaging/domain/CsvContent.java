package dev.filestaging.domain;

import java.nio.charset.StandardCharsets;

/** Test content: CSV of any size (a header, then lines of letters), detected as CSV by its first bytes. */
public final class CsvContent {
    private CsvContent() {}

    public static byte[] csv(int size) {
        byte[] content = new byte[size];
        byte[] header = "id,name\n".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(header, 0, content, 0, Math.min(header.length, size));
        for (int i = header.length; i < size; i++) {
            content[i] = (byte) (i % 10 == 9 ? '\n' : 'a' + i % 26);
        }
        return content;
    }
}
