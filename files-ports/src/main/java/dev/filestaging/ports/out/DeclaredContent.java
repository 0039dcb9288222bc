package dev.filestaging.ports.out;

import dev.filestaging.ports.CompressionFormat;
import dev.filestaging.ports.DataFormat;
import java.time.Duration;

/**
 * What the client that created an upload declared about its content, for the format detection and the file's
 * lifetime at its completion, whichever request completes it. Each is null when the client did not declare it.
 *
 * @param dataFormat  the data format it declared
 * @param compression the compression it declared
 * @param mediaType   the media type it sent
 * @param keepFor     how long the file is kept after it is staged (its {@code expiresAfterSeconds})
 */
public record DeclaredContent(DataFormat dataFormat, CompressionFormat compression, String mediaType,
                              Duration keepFor) {
    /** Nothing declared: the content alone decides, and the area's default lifetime applies. */
    public static final DeclaredContent NOTHING = new DeclaredContent(null, null, null, null);

    /** Formats and media type, no lifetime. */
    public DeclaredContent(DataFormat dataFormat, CompressionFormat compression, String mediaType) {
        this(dataFormat, compression, mediaType, null);
    }
}
