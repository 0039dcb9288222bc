package dev.filestaging.ports.out.catalog;

import dev.filestaging.ports.StoredFile;
import java.util.Objects;

/**
 * A committed file as the catalog records it: its metadata and the blob that holds its bytes.
 *
 * @param blobId the {@link dev.filestaging.ports.out.blob.BlobStore} blob with exactly {@code file.sizeBytes()} bytes;
 *               never shared by two files, so a deleted file's blob can go without a reference count
 */
public record CatalogFile(StoredFile file, String blobId) {
    public CatalogFile {
        Objects.requireNonNull(file, "file");
        dev.filestaging.ports.out.blob.BlobStore.checkedId(blobId);
    }
}
