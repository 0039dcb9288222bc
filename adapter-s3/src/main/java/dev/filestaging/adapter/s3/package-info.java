/**
 * S3 storage for blobs ({@link dev.filestaging.adapter.s3.S3BlobStore}): the bytes of staged files and of open
 * uploads in any S3-compatible bucket, whose names, versions and uploads a catalog keeps (PostgreSQL with
 * {@code FILES_STORAGE=s3}). Layout under the configured prefix: see {@link dev.filestaging.adapter.s3.BucketLayout}.
 * SDK exceptions become the ports' {@code StorageException}s in one place ({@link dev.filestaging.adapter.s3.S3Errors}).
 * The retired bucket-only catalog's layout is read, never written, by the {@code legacy} package, for
 * {@code catalog migrate}; SDK types leave the module nowhere.
 */
package dev.filestaging.adapter.s3;
