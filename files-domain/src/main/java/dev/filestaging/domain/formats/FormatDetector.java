package dev.filestaging.domain.formats;

import dev.filestaging.ports.CompressionFormat;
import dev.filestaging.ports.DataFormat;
import dev.filestaging.ports.in.UploadOutcome.ContentProblem;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * Decides a file's compression and data format from the first {@link ContentPrefix#SIZE} bytes, its name and what
 * the client declared.
 *
 * <p>Order of evidence for compression: the client's declaration, then magic bytes (every supported compression has
 * one, so content without one is uncompressed); only an empty file is judged by its extension, then its media type.
 * For data formats: the declaration, binary signatures, the extension, the media type, then the look of the text.
 * Gzip content is inflated to at most {@link ContentPrefix#SIZE} bytes to see the data format inside (a decompression
 * bomb costs nothing more); the other compressions need libraries the domain does not carry, so their data format
 * comes from the name or media type. ZIP and TAR archives, and text starting with a UTF-8 byte-order mark, are
 * reported as problems: ingestion cannot read them.
 */
public final class FormatDetector {

    /**
     * What the client said about the file; each may be null.
     *
     * @param mediaType the media type the client gave the file, a weak hint
     */
    public record Hints(CompressionFormat compression, DataFormat data, String mediaType) {
        static final Hints NONE = new Hints(null, null, null);
    }

    private final CompressionSignatures compressions = new CompressionSignatures();
    private final DataFormatSniffer dataFormats = new DataFormatSniffer();
    private final MediaTypes mediaTypes = new MediaTypes();

    public DetectedFormats detect(ContentPrefix prefix, String fileName, Hints hints) {
        if (isZip(prefix)) {
            return new DetectedFormats(null, null, ContentProblem.ZIP_ARCHIVE);
        }
        CompressionFormat compression = hints.compression() != null
                ? hints.compression()
                : detectCompression(prefix, fileName, hints.mediaType());
        boolean contentVisible = compression == null || compression == CompressionFormat.GZ;
        ContentPrefix content = compression == CompressionFormat.GZ ? inflatedPrefix(prefix) : prefix;
        if (contentVisible) {
            if (content.hasAsciiAt(257, "ustar")) {
                return new DetectedFormats(compression, null, ContentProblem.TAR_ARCHIVE);
            }
            if (DataFormatSniffer.Bom.startsWithUtf8Bom(content)) {
                return new DetectedFormats(compression, null, ContentProblem.BYTE_ORDER_MARK);
            }
        }
        DataFormat data = hints.data() != null
                ? hints.data()
                : detectData(contentVisible ? Optional.of(content) : Optional.empty(), fileName, hints.mediaType());
        return new DetectedFormats(compression, data, null);
    }

    private CompressionFormat detectCompression(ContentPrefix prefix, String fileName, String mediaType) {
        if (prefix.length() > 0) {
            return compressions.fromMagic(prefix).orElse(null);
        }
        return compressions.fromExtension(fileName).or(() -> mediaTypes.compression(mediaType)).orElse(null);
    }

    /** {@code content} is empty when the data is compressed in a way we cannot look inside. */
    private DataFormat detectData(Optional<ContentPrefix> content, String fileName, String mediaType) {
        String bareName = compressions.stripExtension(fileName);
        return content.flatMap(dataFormats::fromSignature)
                .or(() -> dataFormats.fromExtension(bareName))
                .or(() -> mediaTypes.dataFormat(mediaType))
                .or(() -> content.flatMap(dataFormats::fromText))
                .orElse(null);
    }

    private static boolean isZip(ContentPrefix prefix) {
        // a local file header, or the end-of-central-directory record of an empty archive
        return prefix.startsWith('P', 'K', 3, 4) || prefix.startsWith('P', 'K', 5, 6);
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
