package dev.filestaging.domain.formats;

import dev.filestaging.ports.CompressionFormat;
import java.util.Locale;
import java.util.Optional;

/** Recognises compression by magic bytes, and by file extension when there is no content to tell. */
final class CompressionSignatures {

    Optional<CompressionFormat> fromMagic(ContentPrefix prefix) {
        // gzip: ID1 ID2 and CM = 8 (deflate, the only method defined)
        if (prefix.startsWith(0x1F, 0x8B, 0x08)) {
            return Optional.of(CompressionFormat.GZ);
        }
        // bzip2: "BZh", a block size 1-9, then a block's magic (BCD pi) or an empty stream's end (BCD sqrt pi);
        // "BZh9 is" alone is text that happens to start the same way
        if (prefix.hasAsciiAt(0, "BZh") && prefix.length() >= 10 && prefix.bytes()[3] >= '1' && prefix.bytes()[3] <= '9'
                && (prefix.hasAt(4, 0x31, 0x41, 0x59, 0x26, 0x53, 0x59)
                    || prefix.hasAt(4, 0x17, 0x72, 0x45, 0x38, 0x50, 0x90))) {
            return Optional.of(CompressionFormat.BZ2);
        }
        if (prefix.startsWith(0xFD, '7', 'z', 'X', 'Z', 0x00)) {
            return Optional.of(CompressionFormat.XZ);
        }
        if (prefix.startsWith(0x28, 0xB5, 0x2F, 0xFD)) {
            return Optional.of(CompressionFormat.ZSTD);
        }
        // Snappy framing format: a stream identifier chunk, type 0xFF, length 6, "sNaPpY"
        if (prefix.startsWith(0xFF, 0x06, 0x00, 0x00, 's', 'N', 'a', 'P', 'p', 'Y')) {
            return Optional.of(CompressionFormat.SZ);
        }
        return Optional.empty();
    }

    Optional<CompressionFormat> fromExtension(String fileName) {
        return Optional.ofNullable(switch (extensionOf(fileName)) {
            case "gz", "gzip" -> CompressionFormat.GZ;
            case "bz2" -> CompressionFormat.BZ2;
            case "xz" -> CompressionFormat.XZ;
            case "zst", "zstd" -> CompressionFormat.ZSTD;
            case "sz", "snappy" -> CompressionFormat.SZ;
            default -> null;
        });
    }

    /** The name without its compression extension: {@code a.json.gz} gives {@code a.json}. */
    String stripExtension(String fileName) {
        if (fromExtension(fileName).isEmpty()) {
            return fileName;
        }
        return fileName.substring(0, fileName.lastIndexOf('.'));
    }

    static String extensionOf(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot < 0 ? "" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
