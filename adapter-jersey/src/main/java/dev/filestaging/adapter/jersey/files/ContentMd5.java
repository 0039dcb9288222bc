package dev.filestaging.adapter.jersey.files;

import dev.filestaging.adapter.jersey.problems.Problems;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The {@code Content-MD5} a client may send with an upload, on the request or on the file part: the MD5 of the file's
 * bytes (what the listing reports as its digest), in base64 as RFC 1864 and S3 have it, or in hex as {@code md5sum}
 * prints it. An upload whose bytes do not match is refused and nothing is stored.
 */
final class ContentMd5 {
    static final String HEADER = "Content-MD5";
    private static final int MD5_BYTES = 16;
    private static final int MAX_ECHOED = 64;

    private ContentMd5() {}

    /** The digest the header names, or null if there is no header; a header that is not an MD5 is a 400. */
    static byte[] parse(String header) {
        if (header == null) {
            return null;
        }
        String value = header.strip();
        byte[] digest = value.length() == 2 * MD5_BYTES ? hex(value) : base64(value);
        if (digest == null || digest.length != MD5_BYTES) {
            throw Problems.malformedContentMd5(value.length() > MAX_ECHOED ? value.substring(0, MAX_ECHOED) + "…" : value);
        }
        return digest;
    }

    /** The one digest the client sent, from the request or from the part; two different ones are a 400. */
    static byte[] either(byte[] fromRequest, byte[] fromPart) {
        if (fromRequest != null && fromPart != null && !Arrays.equals(fromRequest, fromPart)) {
            throw Problems.conflictingContentMd5();
        }
        return fromRequest != null ? fromRequest : fromPart;
    }

    private static byte[] hex(String value) {
        try {
            return HexFormat.of().parseHex(value);
        } catch (IllegalArgumentException notHex) {
            return null;
        }
    }

    private static byte[] base64(String value) {
        try {
            return Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
    }
}
