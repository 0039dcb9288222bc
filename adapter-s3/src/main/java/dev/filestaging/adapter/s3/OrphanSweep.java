package dev.filestaging.adapter.s3;

import java.time.Clock;
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
 * Frees what crashed processes left: multipart uploads never completed nor aborted, content objects no name record
 * refers to, and the heartbeats of instances gone for good. Only things older than the orphan age are touched, so
 * uploads in progress on any instance are safe as long as no upload takes longer than that age; heartbeats, rewritten
 * every few seconds by a live instance, only once they are older than {@link #HEARTBEAT_MIN_AGE} as well.
 */
final class OrphanSweep {

    record Result(int abortedUploads, int deletedContent, int deletedHeartbeats) {}

    /** A heartbeat this old is from an instance long gone, whatever the orphan age. */
    static final Duration HEARTBEAT_MIN_AGE = Duration.ofHours(1);

    private final S3Client s3;
    private final String bucket;
    private final BucketLayout layout;
    private final NameRecords records;
    private final Duration orphanAge;
    private final String self;
    private final Clock clock;

    OrphanSweep(S3Client s3, String bucket, BucketLayout layout, NameRecords records, Duration orphanAge, String self,
                Clock clock) {
        this.s3 = s3;
        this.bucket = bucket;
        this.layout = layout;
        this.records = records;
        this.orphanAge = orphanAge;
        this.self = self;
        this.clock = clock;
    }

    Result run() {
        Instant cutoff = clock.instant().minus(orphanAge);
        try {
            int aborted = 0;
            for (MultipartUpload upload : layout.multipartUploads(s3, bucket)) {
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
                } else if (layout.isDeleteClaim(object.key()) && object.lastModified().isBefore(cutoff)) {
                    s3.deleteObject(b -> b.bucket(bucket).key(object.key())); // left by a delete that died late
                }
            }
            Instant heartbeatCutoff = clock.instant().minus(orphanAge.compareTo(HEARTBEAT_MIN_AGE) > 0
                    ? orphanAge : HEARTBEAT_MIN_AGE);
            int heartbeats = 0;
            for (S3Object heartbeat : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(layout.instances()))
                    .contents()) {
                if (heartbeat.lastModified().isBefore(heartbeatCutoff) && !heartbeat.key().equals(layout.heartbeat(self))) {
                    s3.deleteObject(b -> b.bucket(bucket).key(heartbeat.key()));
                    heartbeats++;
                }
            }
            return new Result(aborted, deleted, heartbeats);
        } catch (SdkException e) {
            throw S3Errors.translate("sweeping orphans", e);
        }
    }
}
