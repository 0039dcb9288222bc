package dev.filestaging.domain.storage;

import dev.filestaging.ports.FileKey;
import dev.filestaging.ports.StoredFile;
import dev.filestaging.ports.out.blob.BlobStore;
import dev.filestaging.ports.out.blob.BlobWriter;
import dev.filestaging.ports.out.catalog.Catalog;

/**
 * A one-request upload: the bytes go to a new blob, and the commit is every upload's ({@link FileRecording}), with the
 * area's quota checked by the catalog. A blob whose file was not recorded is deleted; one left by a crash in between
 * is an orphan for the sweep.
 */
final class CatalogPendingFile implements PendingFile {
    private final FileKey key;
    private final Catalog catalog;
    private final BlobStore blobs;
    private final BlobWriter writer;
    private final long maxBytes;
    private final FileRecording recording;

    /** @param maxBytes the area's quota, checked by the catalog at the commit against what every process committed */
    CatalogPendingFile(FileKey key, Catalog catalog, BlobStore blobs, long maxBytes) {
        this.key = key;
        this.maxBytes = maxBytes;
        this.catalog = catalog;
        this.blobs = blobs;
        this.writer = blobs.create(BlobIds.next());
        this.recording = new FileRecording(catalog, writer);
    }

    @Override
    public void write(byte[] buffer, int offset, int length) {
        writer.write(buffer, offset, length);
    }

    @Override
    public CommitOutcome commit(StoredFile metadata) {
        if (!metadata.key().equals(key)) {
            throw new IllegalArgumentException("the file was created under " + key + ", not " + metadata.key());
        }
        return recording.commit(metadata, file -> catalog.commit(file, maxBytes),
                () -> new IllegalStateException("no lease was given, yet the catalog says it was lost"));
    }

    @Override
    public void close() {
        writer.close();
        if (!recording.blobMayBeTaken()) {
            Blobs.deleteQuietly(blobs, writer.blobId());
        }
    }
}
