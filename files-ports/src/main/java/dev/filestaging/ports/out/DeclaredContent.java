package dev.filestaging.ports.out;

import dev.filestaging.ports.CompressionFormat;
import dev.filestaging.ports.DataFormat;

/**
 * What the client that created an upload declared about its content, for the format detection at its completion,
 * whichever request completes it. Each is null when the client did not declare it.
 *
 * @param dataFormat  the data format it declared
 * @param compression the compression it declared
 * @param mediaType   the media type it sent
 */
public record DeclaredContent(DataFormat dataFormat, CompressionFormat compression, String mediaType) {
    /** Nothing declared: the content alone decides. */
    public static final DeclaredContent NOTHING = new DeclaredContent(null, null, null);
}
