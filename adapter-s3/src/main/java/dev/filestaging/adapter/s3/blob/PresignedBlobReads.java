package dev.filestaging.adapter.s3.blob;

import dev.filestaging.adapter.s3.client.S3Errors;
import dev.filestaging.ports.out.blob.BlobStore;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Presigned {@code GetObject} URLs of a blob's object, signed locally (no call). A blob is immutable once finished and
 * its id never reused, so a URL only ever reads those bytes; before the finish, or after a delete, it answers 404.
 * The answer's {@code Content-Type} and {@code Content-Disposition} are set through the presigned
 * {@code response-content-type} and {@code response-content-disposition} parameters S3 offers for this; other headers
 * cannot be.
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
        String key = layout.blob(BlobStore.checkedId(blobId));
        GetObjectRequest.Builder get = GetObjectRequest.builder().bucket(bucket).key(key);
        responseHeaders.forEach((name, value) -> {
            switch (name.toLowerCase(java.util.Locale.ROOT)) {
                case "content-type" -> get.responseContentType(value);
                case "content-disposition" -> get.responseContentDisposition(value);
                case "cache-control" -> get.responseCacheControl(value);
                default -> { } // S3 cannot set other headers on a presigned answer
            }
        });
        try {
            return presigner.presignGetObject(p -> p.signatureDuration(lifetime).getObjectRequest(get.build()))
                    .url().toURI();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException("the SDK presigned an invalid URL", e);
        } catch (SdkException e) {
            throw S3Errors.translate("presigning a read of " + key, e);
        }
    }
}
