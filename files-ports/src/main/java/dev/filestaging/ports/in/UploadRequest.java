package dev.filestaging.ports.in;

import dev.filestaging.ports.CompressionFormat;
import dev.filestaging.ports.DataFormat;
import dev.filestaging.ports.Principal;
import dev.filestaging.ports.StagingArea;
import java.util.Objects;

/**
 * What is known of a file before its first byte: who stages it, where, under which name, and what the client says it
 * is.
 *
 * @param fileName          as the client sent it; the domain validates and normalizes it
 * @param dataFormat        the client's declaration, or null to detect it
 * @param compressionFormat the client's declaration, or null to detect it
 * @param mediaType         the media type the client gave the file (a multipart part's Content-Type), or null; a
 *                          hint for detection weaker than the file's content and name
 * @param keepFor           how long the client asks the file to be kept once staged, or null for the area's default;
 *                          the domain checks it against the deployment's bounds
 */
public record UploadRequest(
        Principal principal,
        StagingArea area,
        String fileName,
        DataFormat dataFormat,
        CompressionFormat compressionFormat,
        String mediaType,
        java.time.Duration keepFor) {

    public UploadRequest {
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(area, "area");
        Objects.requireNonNull(fileName, "fileName");
    }

    /** This request, asking for its file to be kept for {@code lifetime} (null: the default). */
    public UploadRequest withKeepFor(java.time.Duration lifetime) {
        return new UploadRequest(principal, area, fileName, dataFormat, compressionFormat, mediaType, lifetime);
    }

    /** Kept for the area's default time. */
    public UploadRequest(Principal principal, StagingArea area, String fileName, DataFormat dataFormat,
                         CompressionFormat compressionFormat, String mediaType) {
        this(principal, area, fileName, dataFormat, compressionFormat, mediaType, null);
    }
}
