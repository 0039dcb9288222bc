package dev.filestaging.adapter.localfs;

import dev.filestaging.adapter.localfs.blob.LocalBlobStore;
import dev.filestaging.adapter.localfs.catalog.LocalCatalog;
import dev.filestaging.adapter.localfs.directory.DataDirectory;
import dev.filestaging.adapter.localfs.io.IoErrors;
import dev.filestaging.adapter.localfs.records.LocalFsSmallRecordStore;
import dev.filestaging.ports.out.StorageException;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A data directory as one process's storage: its lock, the local catalog ({@code catalog.db}) and the blobs
 * ({@code blobs/}). Opening it takes the lock (another process using the directory is refused) and brings in what an
 * earlier version left there ({@link DataDirectory#settle}) before anything is served.
 * <pre>
 *   .lock          held while a process has the directory open; holds its pid
 *   catalog.db     the catalog (SQLite; with its -wal and -shm files)
 *   blobs/         the files' and the open uploads' bytes ({@link LocalBlobStore})
 *   records/       API keys, OAuth clients, signing and link keys ({@link LocalFsSmallRecordStore})
 *   quarantine/    what an import found damaged, and finished blobs no file has, kept for the operator
 *   staging        a file: an earlier version, which kept its files in a directory of that name, refuses to start
 * </pre>
 */
public final class LocalStorage implements AutoCloseable {
    private final DataDirectory directory;
    private final LocalCatalog catalog;
    private final LocalBlobStore blobs;
    private final int imported;

    private LocalStorage(DataDirectory directory, LocalCatalog catalog, LocalBlobStore blobs, int imported) {
        this.directory = directory;
        this.catalog = catalog;
        this.blobs = blobs;
        this.imported = imported;
    }

    /**
     * Opens (creating if needed) the data directory.
     *
     * @throws StorageException the directory cannot be used, another process has it, or its catalog cannot be opened
     */
    public static LocalStorage open(Path dataDirectory) {
        DataDirectory directory = DataDirectory.open(dataDirectory);
        LocalCatalog catalog = null;
        LocalBlobStore blobs = null;
        try {
            catalog = LocalCatalog.open(directory.root().resolve("catalog.db"));
            blobs = LocalBlobStore.open(directory.root().resolve("blobs"));
            int imported = directory.settle(catalog, blobs);
            return new LocalStorage(directory, catalog, blobs, imported);
        } catch (IOException e) {
            close(directory, catalog, blobs);
            throw IoErrors.translate("import the data directory of an earlier version", e);
        } catch (RuntimeException e) {
            close(directory, catalog, blobs);
            throw e;
        }
    }

    public LocalCatalog catalog() {
        return catalog;
    }

    public LocalBlobStore blobs() {
        return blobs;
    }

    public Path root() {
        return directory.root();
    }

    /** How many files and open uploads of an earlier version this opening brought into the catalog. */
    public int imported() {
        return imported;
    }

    @Override
    public void close() {
        close(directory, catalog, blobs);
    }

    private static void close(DataDirectory directory, LocalCatalog catalog, LocalBlobStore blobs) {
        try {
            if (blobs != null) {
                blobs.close();
            }
        } finally {
            try {
                if (catalog != null) {
                    catalog.close();
                }
            } finally {
                directory.close();
            }
        }
    }
}
