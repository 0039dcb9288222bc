package dev.filestaging.app.config;

/** Where the truth about names, files and uploads is kept, chosen by {@code FILES_CATALOG}. */
public enum CatalogKind {
    /** The data directory's own index: one instance, nothing else to run (the default with local storage). */
    LOCAL,
    /** A PostgreSQL database shared by every instance, with the bytes in the storage (blobs). */
    POSTGRES
}
