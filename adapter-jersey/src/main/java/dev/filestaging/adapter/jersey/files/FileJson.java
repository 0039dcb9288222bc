package dev.filestaging.adapter.jersey.files;

import dev.filestaging.ports.SpaceUsage;
import dev.filestaging.ports.StoredFile;
import dev.filestaging.ports.in.FileListing;
import java.util.List;

/**
 * A staged file as the Polaris API shows it; fields in Polaris's order, then {@code expiresAt} for a file that expires
 * (absent otherwise, so a Polaris client sees Polaris's fields only).
 */
record FileJson(
        String id,
        String name,
        long sizeBytes,
        String dataFormat,
        String compressionFormat,
        DigestJson digest,
        String uploadedByUserId,
        String uploadedOnDatetime,
        @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
        String expiresAt) {

    record DigestJson(String algo, String hash) {}

    record SpaceJson(long allocatedBytes, long usedBytes, long remainingBytes) {
        static SpaceJson of(SpaceUsage space) {
            return new SpaceJson(space.allocatedBytes(), space.usedBytes(), space.remainingBytes());
        }
    }

    /** @param cont the continuation token of a page that may not be the last; absent otherwise, as in Polaris */
    record ListJson(List<FileJson> files, SpaceJson space,
                    @com.fasterxml.jackson.annotation.JsonInclude(
                            com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) String cont) {
        static ListJson of(FileListing listing) {
            return new ListJson(listing.files().stream().map(FileJson::of).toList(), SpaceJson.of(listing.space()),
                    listing.continueAfter().map(ContinuationToken::of).orElse(null));
        }
    }

    static FileJson of(StoredFile file) {
        return new FileJson(
                file.id().toString(),
                file.name(),
                file.sizeBytes(),
                file.dataFormat() == null ? null : file.dataFormat().wireName(),
                file.compressionFormat() == null ? null : file.compressionFormat().wireName(),
                new DigestJson(file.digest().algo(), file.digest().hash()),
                file.uploadedByUserId(),
                file.uploadedOn().toString(),
                file.expiresAt() == null ? null : file.expiresAt().toString());
    }
}
