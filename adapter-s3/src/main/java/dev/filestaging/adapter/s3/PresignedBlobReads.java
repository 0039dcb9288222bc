package dev.filestaging.adapter.s3;

import dev.filestaging.ports.out.blob.BlobStore;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Presigned {@code GetObject} URLs of a blob's object, signed locally (no call). A blob is immutable once finished and
 * its id never reused, so a URL only ever reads those bytes; before the finish, or after a delete, it answers 404.
 */
final class PresignedBlobReads implements BlobStore.PresignedReads {
    private final S3Presigner presigner;
    private final String bucket;
    private final BucketLayout layout;

    PresignedBlobReads(S3Presigner presigner, String bucket, BucketLayout layout) {
        this.presigner = presigner;
        this.bucket = bucket;
        this.layout = layout;
    }

    @Override
    public URI urlFor(String blobId, Duration lifetime, Map<String, String> responseHeaders) {
        return PresignedReads.presignGet(presigner, bucket, layout.blob(BlobStore.checkedId(blobId)), lifetime,
                responseHeaders);
    }
}
