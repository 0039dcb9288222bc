package dev.filestaging.adapter.s3;

import dev.filestaging.ports.FileKey;
import dev.filestaging.ports.StoredFile;
import dev.filestaging.ports.out.DirectReads;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Direct reads as presigned {@code GetObject} URLs of the version's content object. Content keys are written once per
 * upload and never reused, so a URL can only ever read that version; once the version is deleted it answers 404.
 * The response's {@code Content-Type} and {@code Content-Disposition} are set through the presigned
 * {@code response-content-type} and {@code response-content-disposition} parameters S3 offers for this.
 */
final class PresignedReads implements DirectReads {
    private final S3Presigner presigner;
    private final String bucket;
    private final NameRecords records;
    private final BucketLayout layout;

    PresignedReads(S3Presigner presigner, String bucket, NameRecords records, BucketLayout layout) {
        this.presigner = presigner;
        this.bucket = bucket;
        this.records = records;
        this.layout = layout;
    }

    @Override
    public Optional<URI> urlFor(StoredFile file, Duration lifetime, Map<String, String> responseHeaders) {
        return records.read(layout.nameRecord(file.key()))
                .filter(current -> current.file().id().equals(file.id()))
                .map(record -> presign(record, lifetime, responseHeaders));
    }

    @Override
    public Optional<Located> current(FileKey key, Duration lifetime,
                                     Function<StoredFile, Map<String, String>> responseHeaders) {
        return records.read(layout.nameRecord(key)).map(record -> new Located(record.file(),
                presign(record, lifetime, responseHeaders.apply(record.file()))));
    }

    private URI presign(NameRecord record, Duration lifetime, Map<String, String> responseHeaders) {
        return presignGet(presigner, bucket, record.contentKey(), lifetime, responseHeaders);
    }

    /**
     * A presigned {@code GetObject} of {@code key}, with the response headers S3 can set on its answer (others are
     * left out). Shared with {@link PresignedBlobReads}.
     */
    static URI presignGet(S3Presigner presigner, String bucket, String key, Duration lifetime,
                          Map<String, String> responseHeaders) {
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
