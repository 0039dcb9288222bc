package dev.filestaging.ports.in;

import dev.filestaging.ports.CompressionFormat;
import dev.filestaging.ports.DataFormat;
import dev.filestaging.ports.Principal;
import dev.filestaging.ports.StagingArea;
import java.io.InputStream;
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
 */
public record UploadCommand(
        Principal principal,
        StagingArea area,
        String fileName,
        DataFormat dataFormat,
        CompressionFormat compressionFormat,
        String mediaType,
        InputStream content) {

    public UploadCommand {
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(area, "area");
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(content, "content");
    }
}
