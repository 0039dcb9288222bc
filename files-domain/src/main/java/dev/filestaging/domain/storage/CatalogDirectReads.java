package dev.filestaging.domain.storage;

import dev.filestaging.ports.FileKey;
import dev.filestaging.ports.StoredFile;
import dev.filestaging.ports.out.blob.BlobStore;
import dev.filestaging.ports.out.catalog.Catalog;
import dev.filestaging.ports.out.catalog.CatalogFile;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** Presigned reads of the blob store, for the file versions the catalog has. */
final class CatalogDirectReads implements DirectReads {
    private final Catalog catalog;
    private final BlobStore.PresignedReads presigned;

    CatalogDirectReads(Catalog catalog, BlobStore.PresignedReads presigned) {
        this.catalog = catalog;
        this.presigned = presigned;
    }

    @Override
    public Optional<URI> urlFor(StoredFile file, Duration lifetime, Map<String, String> responseHeaders) {
        return catalog.find(file.key())
                .filter(current -> current.file().id().equals(file.id()))
                .map(current -> presigned.urlFor(current.blobId(), lifetime, responseHeaders));
    }

    @Override
    public Optional<Located> current(FileKey key, Duration lifetime,
                                     Function<StoredFile, Map<String, String>> responseHeaders) {
        Optional<CatalogFile> found = catalog.find(key);
        return found.map(current -> new Located(current.file(),
                presigned.urlFor(current.blobId(), lifetime, responseHeaders.apply(current.file()))));
    }
}
