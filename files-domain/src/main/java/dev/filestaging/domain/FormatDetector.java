package dev.filestaging.domain;

import dev.filestaging.ports.CompressionFormat;
import dev.filestaging.ports.DataFormat;
import dev.filestaging.ports.in.UploadOutcome.ContentProblem;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Decides a file's compression and data format from the first {@link ContentPrefix#SIZE} bytes and its name.
 *
 * <p>Order of evidence: the client's declaration, then magic bytes, then the extension; for data formats, binary
 * signatures beat the extension, which beats the look of the text. Gzip content is inflated to at most
 * {@link ContentPrefix#SIZE} bytes to see the data format inside (a decompression bomb costs nothing more); the other
 * compressions need libraries the domain does not carry, so their data format comes from the extension.
 * ZIP and TAR archives, and text starting with a UTF-8 byte-order mark, are reported as problems: ingestion cannot read
 * them.
 */
final class FormatDetector {

    private final CompressionSignatures compressions = new CompressionSignatures();
    private final DataFormatSniffer dataFormats = new DataFormatSniffer();

    DetectedFormats detect(
            ContentPrefix prefix, String fileName, CompressionFormat declaredCompression, DataFormat declaredData) {
        if (isArchive(prefix, "zip")) {
            return new DetectedFormats(null, null, ContentProblem.ZIP_ARCHIVE);
        }
        CompressionFormat compression = declaredCompression != null ? declaredCompression : detectCompression(prefix, fileName);
        ContentPrefix content = compression == CompressionFormat.GZ ? inflatedPrefix(prefix) : prefix;
        if (compression == null || compression == CompressionFormat.GZ) {
            if (isArchive(content, "tar")) {
                return new DetectedFormats(compression, null, ContentProblem.TAR_ARCHIVE);
            }
            if (DataFormatSniffer.Bom.startsWithUtf8Bom(content)) {
                return new DetectedFormats(compression, null, ContentProblem.BYTE_ORDER_MARK);
            }
        }
        DataFormat data = declaredData != null ? declaredData : detectData(content, fileName, compression);
        return new DetectedFormats(compression, data, null);
    }

    private CompressionFormat detectCompression(ContentPrefix prefix, String fileName) {
        return compressions.fromMagic(prefix)
                .or(() -> prefix.length() == 0 ? compressions.fromExtension(fileName) : java.util.Optional.empty())
                .orElse(null);
    }

    private DataFormat detectData(ContentPrefix content, String fileName, CompressionFormat compression) {
        boolean contentVisible = compression == null || compression == CompressionFormat.GZ;
        String bareName = compressions.stripExtension(fileName);
        var bySignature = contentVisible ? dataFormats.fromSignature(content) : java.util.Optional.<DataFormat>empty();
        return bySignature
                .or(() -> dataFormats.fromExtension(bareName))
                .or(() -> contentVisible ? dataFormats.fromText(content) : java.util.Optional.empty())
                .orElse(null);
    }

    private static boolean isArchive(ContentPrefix prefix, String kind) {
        return switch (kind) {
            // local file header, or the end-of-central-directory record of an empty archive
            case "zip" -> prefix.startsWith('P', 'K', 3, 4) || prefix.startsWith('P', 'K', 5, 6);
            case "tar" -> prefix.hasAsciiAt(257, "ustar");
            default -> false;
        };
    }

    /** At most {@link ContentPrefix#SIZE} inflated bytes; a truncated or corrupt stream yields what inflated so far. */
    private static ContentPrefix inflatedPrefix(ContentPrefix compressed) {
        byte[] out = new byte[ContentPrefix.SIZE];
        int filled = 0;
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed.bytes()), 1024)) {
            int n;
            while (filled < out.length && (n = in.read(out, filled, out.length - filled)) > 0) {
                filled += n;
            }
        } catch (IOException corruptOrTruncated) {
            // the prefix ends mid-stream, or the data is not really gzip: judge by what we have
        }
        return new ContentPrefix(Arrays.copyOf(out, filled));
    }
}
