/**
 * Staged files kept by a {@link dev.filestaging.ports.out.catalog.Catalog} (names, versions, uploads, usage, the
 * change log) and a {@link dev.filestaging.ports.out.blob.BlobStore} (bytes), offered as one
 * {@link dev.filestaging.domain.storage.StagingStore} with resumable uploads, so that every catalog and blob store pair
 * serves the whole API.
 */
package dev.filestaging.domain.storage;
