package dev.filestaging.ports.in;

import dev.filestaging.ports.CompressionFormat;
import dev.filestaging.ports.DataFormat;
import dev.filestaging.ports.Principal;
import dev.filestaging.ports.StagingArea;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * A request to stage one file.
 *
 * @param fileName            as the client sent it; the domain validates and normalizes it
 * @param dataFormat          the client's declaration, or null to detect it
 * @param compressionFormat   the client's declaration, or null to detect it
 * @param mediaType           the media type the client gave the file (a multipart part's Content-Type), or null; a
 *                            hint for detection weaker than the file's content and name
 * @param content             read once, to its end; the caller closes it. An {@link java.io.IOException} from it aborts
 *                            the upload and is rethrown unchanged, so the caller can recognise its own failures
 * @param expectedMd5         the 16-byte MD5 the client says the content has (its {@code Content-MD5}), or null; a
 *                            mismatch is {@link UploadOutcome.DigestMismatch} and nothing is stored
 */
public record UploadCommand(
        Principal principal,
        StagingArea area,
        String fileName,
        DataFormat dataFormat,
        CompressionFormat compressionFormat,
        String mediaType,
        InputStream content,
        byte[] expectedMd5) {

    public UploadCommand {
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(area, "area");
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(content, "content");
        if (expectedMd5 != null && expectedMd5.length != 16) {
            throw new IllegalArgumentException("an MD5 digest has 16 bytes, not " + expectedMd5.length);
        }
        expectedMd5 = expectedMd5 == null ? null : expectedMd5.clone();
    }

    /** Without a digest to check. */
    public UploadCommand(Principal principal, StagingArea area, String fileName, DataFormat dataFormat,
                         CompressionFormat compressionFormat, String mediaType, InputStream content) {
        this(principal, area, fileName, dataFormat, compressionFormat, mediaType, content, null);
    }

    /** What is known before the content. */
    public UploadRequest request() {
        return new UploadRequest(principal, area, fileName, dataFormat, compressionFormat, mediaType);
    }

    @Override
    public byte[] expectedMd5() {
        return expectedMd5 == null ? null : expectedMd5.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof UploadCommand that && principal.equals(that.principal) && area.equals(that.area)
                && fileName.equals(that.fileName) && dataFormat == that.dataFormat
                && compressionFormat == that.compressionFormat && Objects.equals(mediaType, that.mediaType)
                && content.equals(that.content) && Arrays.equals(expectedMd5, that.expectedMd5);
    }

    @Override
    public int hashCode() {
        return Objects.hash(principal, area, fileName, dataFormat, compressionFormat, mediaType, content)
                * 31 + Arrays.hashCode(expectedMd5);
    }

    @Override
    public String toString() {
        return "UploadCommand[principal=" + principal + ", area=" + area + ", fileName=" + fileName + ", dataFormat="
                + dataFormat + ", compressionFormat=" + compressionFormat + ", mediaType=" + mediaType
                + ", expectedMd5=" + (expectedMd5 == null ? "none" : java.util.HexFormat.of().formatHex(expectedMd5))
                + "]";
    }
}
