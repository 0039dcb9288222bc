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
 * @param content             read once, to its end; the caller closes it. An {@link java.io.IOException} from it aborts
 *                            the upload and is rethrown unchanged, so the caller can recognise its own failures
 */
public record UploadCommand(
        Principal principal,
        StagingArea area,
        String fileName,
        DataFormat dataFormat,
        CompressionFormat compressionFormat,
        InputStream content) {

    public UploadCommand {
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(area, "area");
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(content, "content");
    }
}
