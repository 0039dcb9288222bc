package dev.filestaging.adapter.s3;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Frees what crashed processes left: multipart uploads never completed nor aborted, and content objects no name
 * record refers to. Only things older than the orphan age are touched, so uploads in progress on any instance are
 * safe as long as no upload takes longer than that age.
 */
final class OrphanSweep {

    record Result(int abortedUploads, int deletedContent) {}

    private final S3Client s3;
    private final String bucket;
    private final BucketLayout layout;
    private final NameRecords records;
    private final Duration orphanAge;

    OrphanSweep(S3Client s3, String bucket, BucketLayout layout, NameRecords records, Duration orphanAge) {
        this.s3 = s3;
        this.bucket = bucket;
        this.layout = layout;
        this.records = records;
        this.orphanAge = orphanAge;
    }

    Result run() {
        Instant cutoff = Instant.now().minus(orphanAge);
        try {
            int aborted = 0;
            for (MultipartUpload upload : s3.listMultipartUploadsPaginator(
                    b -> b.bucket(bucket).prefix(layout.areas())).uploads()) {
                if (upload.initiated().isBefore(cutoff)) {
                    s3.abortMultipartUpload(b -> b.bucket(bucket).key(upload.key()).uploadId(upload.uploadId()));
                    aborted++;
                }
            }
            List<S3Object> objects = NameRecords.objectsUnder(bucket, layout.areas(), s3);
            Set<String> referenced = new HashSet<>();
            records.resolve(objects.stream().filter(o -> o.key().contains("/names/")).toList())
                    .forEach(record -> referenced.add(record.contentKey()));
            int deleted = 0;
            for (S3Object object : objects) {
                if (layout.isContent(object.key()) && object.lastModified().isBefore(cutoff)
                        && !referenced.contains(object.key())) {
                    s3.deleteObject(b -> b.bucket(bucket).key(object.key()));
                    deleted++;
                }
            }
            return new Result(aborted, deleted);
        } catch (SdkException e) {
            throw S3Errors.translate("sweeping orphans", e);
        }
    }
}
