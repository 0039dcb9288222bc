package dev.filestaging.adapter.s3;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * One writer per resumable upload across every instance on the bucket: a lock object created with
 * {@code If-None-Match: *} naming the instance that holds it, deleted when the writer is done.
 *
 * <p>A lock whose instance died ({@code kill -9}, a lost machine) would block its upload for good, so it is taken over
 * once that instance is gone: its heartbeat deleted (a clean stop) or older than the instance timeout. The heartbeat's
 * age is measured against the {@code Date} of the store's own answer, so the instances' clocks need not agree.
 */
final class UploadLocks {

    private final S3Client s3;
    private final String bucket;
    private final BucketLayout layout;
    private final String self;
    private final Duration instanceTimeout;
    private final NameRecords records;

    UploadLocks(S3Client s3, String bucket, BucketLayout layout, String self, Duration instanceTimeout,
                NameRecords records) {
        this.s3 = s3;
        this.bucket = bucket;
        this.layout = layout;
        this.self = self;
        this.instanceTimeout = instanceTimeout;
        this.records = records;
    }

    /** Takes the upload's lock; false while a live writer (of any instance, this one included) holds it. */
    boolean acquire(String uploadId) {
        String key = layout.uploadLock(uploadId);
        if (create(key)) {
            return true;
        }
        Optional<Held> held = holder(key);
        if (held.isEmpty()) {
            return create(key); // released in between
        }
        if (held.get().instance().equals(self) || alive(held.get().instance())) {
            return false;
        }
        try {
            // Of several takers of one dead writer's lock, the conditional delete (where the store honours it) and
            // the create-if-absent let one win.
            s3.deleteObject(b -> b.bucket(bucket).key(key)
                    .ifMatch(records.conditionalDeletes() ? held.get().etag() : null));
        } catch (SdkException e) {
            if (!S3Errors.isPreconditionFailed(e) && !S3Errors.isNotFound(e)) {
                throw S3Errors.translate("taking over " + key, e);
            }
            return false;
        }
        return create(key);
    }

    /** Lets the next writer in; a failure leaves the lock to be taken over once this instance is gone. */
    void release(String uploadId) {
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(layout.uploadLock(uploadId)));
        } catch (SdkException e) {
            // taken over after this instance stops
        }
    }

    private boolean create(String key) {
        try {
            s3.putObject(b -> b.bucket(bucket).key(key).ifNoneMatch("*").contentType("text/plain; charset=utf-8"),
                    RequestBody.fromString(self));
            return true;
        } catch (SdkException e) {
            if (S3Errors.isPreconditionFailed(e) || S3Errors.isConditionalConflict(e)) {
                return false;
            }
            throw S3Errors.translate("locking " + key, e);
        }
    }

    private record Held(String instance, String etag) {}

    private Optional<Held> holder(String key) {
        try {
            ResponseBytes<GetObjectResponse> lock = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key));
            return Optional.of(new Held(new String(lock.asByteArray(), StandardCharsets.UTF_8).strip(),
                    lock.response().eTag()));
        } catch (SdkException e) {
            if (S3Errors.isNotFound(e)) {
                return Optional.empty();
            }
            throw S3Errors.translate("reading " + key, e);
        }
    }

    /** Whether the instance's heartbeat is there and younger than the instance timeout, by the store's clock. */
    private boolean alive(String instance) {
        HeadObjectResponse heartbeat;
        try {
            heartbeat = s3.headObject(b -> b.bucket(bucket).key(layout.heartbeat(instance)));
        } catch (SdkException e) {
            if (S3Errors.isNotFound(e)) {
                return false;
            }
            throw S3Errors.translate("reading the heartbeat of " + instance, e);
        }
        Instant storeNow = heartbeat.sdkHttpResponse().firstMatchingHeader("Date").flatMap(UploadLocks::parsed)
                .orElseGet(Instant::now);
        return heartbeat.lastModified().isAfter(storeNow.minus(instanceTimeout));
    }

    private static Optional<Instant> parsed(String httpDate) {
        try {
            return Optional.of(ZonedDateTime.parse(httpDate, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (java.time.DateTimeException e) {
            return Optional.empty();
        }
    }
}
