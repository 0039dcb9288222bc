/**
 * S3 storage for staged files: the same {@code StagingStore} contract as local disk, on any S3-compatible bucket that
 * honours conditional writes, shared by any number of app instances with no coordinator but the bucket itself.
 *
 * <p>Layout under the configured prefix (see {@link dev.filestaging.adapter.s3.BucketLayout}): each committed file is a
 * small immutable <em>name record</em> at a key derived from its name, which points to a <em>content object</em> under
 * a key of its own. Content is streamed first; the commit is a {@code PutObject} of the name record with
 * {@code If-None-Match: *}, so of racing instances exactly one wins. No SDK type leaves this package.
 */
package dev.filestaging.adapter.s3;
