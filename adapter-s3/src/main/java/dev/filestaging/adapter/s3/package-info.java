/**
 * S3 storage for blobs ({@link dev.filestaging.adapter.s3.blob.S3BlobStore}): the bytes of staged files and of open
 * uploads in any S3-compatible bucket, whose names, versions and uploads a catalog keeps (PostgreSQL with
 * {@code FILES_STORAGE=s3}). One package per concern:
 * <ul>
 *   <li>{@code client}: the settings ({@link dev.filestaging.adapter.s3.client.S3Settings}), the SDK clients made
 *       from them, and the one place where SDK exceptions become the ports' {@code StorageException}s
 *       ({@link dev.filestaging.adapter.s3.client.S3Errors});</li>
 *   <li>{@code blob}: the {@code BlobStore} port on a bucket, its writers and readers; layout under the configured
 *       prefix: see {@code BucketLayout} there;</li>
 *   <li>{@code legacy}: the retired bucket-only catalog's layout, read, never written, for {@code catalog migrate}.</li>
 * </ul>
 * SDK types leave the module nowhere.
 */
package dev.filestaging.adapter.s3;
