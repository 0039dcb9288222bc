/**
 * S3 storage for staged files: the same {@code StagingStore} contract as local disk, on any S3-compatible bucket,
 * shared by several app instances. Not built yet: the service runs on local disk ({@code FILES_STORAGE=local}), and
 * the app refuses {@code FILES_STORAGE=s3} with a message saying so.
 */
package dev.filestaging.adapter.s3;
