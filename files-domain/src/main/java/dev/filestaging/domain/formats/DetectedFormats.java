package dev.filestaging.domain.formats;

import dev.filestaging.ports.CompressionFormat;
import dev.filestaging.ports.DataFormat;
import dev.filestaging.ports.in.UploadOutcome.ContentProblem;
import java.util.Optional;

/**
 * What detection concluded.
 *
 * @param compression null for uncompressed content
 * @param dataFormat  null when unknown
 * @param problem     null when ingestion can read the content
 */
public record DetectedFormats(CompressionFormat compression, DataFormat dataFormat, ContentProblem problem) {
    public Optional<ContentProblem> problemIfAny() {
        return Optional.ofNullable(problem);
    }
}
