package dev.filestaging.adapter.s3.blob;

import dev.filestaging.adapter.s3.client.ChecksumMode;
import dev.filestaging.ports.out.StorageException;

/**
 * The store refuses the checksums the SDK sends when it may ({@link ChecksumMode#WHEN_SUPPORTED}), as Ceph RGW 16
 * does: with {@link ChecksumMode#AUTO}, {@link S3BlobStore#open} tries again sending them only where required.
 */
final class ChecksumsRefused extends StorageException {
    ChecksumsRefused(String message) {
        super(message);
    }
}
