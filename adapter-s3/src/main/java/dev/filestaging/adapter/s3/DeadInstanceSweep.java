package dev.filestaging.adapter.s3;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/**
 * Aborts the multipart uploads that dead instances ({@code kill -9}, a lost machine) left open, long before the orphan
 * age. Every instance rewrites its heartbeat record every few seconds; one whose heartbeat has not changed for the
 * instance timeout, as measured by this instance's own clock (so clocks need not agree), is taken for dead.
 *
 * <p>Only multipart uploads are aborted. If the guess is wrong (an instance alive but cut off from S3 for that long),
 * its upload then fails cleanly when it completes; deleting content instead could leave a name record pointing at
 * nothing. Content a dead instance left complete but unnamed waits for the {@link OrphanSweep}.
 */
final class DeadInstanceSweep {

    /** A heartbeat's state (its ETag, or absent) and since when this instance has seen it unchanged. */
    private record Observed(String state, long sinceNanos) {}

    private static final String ABSENT = "absent";

    private final S3Client s3;
    private final String bucket;
    private final BucketLayout layout;
    private final String self;
    private final Duration timeout;
    private final LongSupplier nanoTime;
    private final Map<String, Observed> observed = new HashMap<>();

    DeadInstanceSweep(S3Client s3, String bucket, BucketLayout layout, String self, Duration timeout,
                      LongSupplier nanoTime) {
        this.s3 = s3;
        this.bucket = bucket;
        this.layout = layout;
        this.self = self;
        this.timeout = timeout;
        this.nanoTime = nanoTime;
    }

    /** Looks at every open multipart upload once; returns how many it aborted. */
    synchronized int run() {
        long now = nanoTime.getAsLong();
        Map<String, String> states = new HashMap<>();
        int aborted = 0;
        try {
            for (MultipartUpload upload : layout.multipartUploads(s3, bucket)) {
                Optional<String> owner = BucketLayout.instanceOf(upload.key());
                if (owner.isEmpty() || owner.get().equals(self)) {
                    continue;
                }
                String state = states.computeIfAbsent(owner.get(), this::heartbeatState);
                Observed seen = observed.get(owner.get());
                if (seen == null || !seen.state().equals(state)) {
                    observed.put(owner.get(), new Observed(state, now));
                } else if (now - seen.sinceNanos() >= timeout.toNanos()) {
                    s3.abortMultipartUpload(b -> b.bucket(bucket).key(upload.key()).uploadId(upload.uploadId()));
                    aborted++;
                }
            }
        } catch (SdkException e) {
            throw S3Errors.translate("sweeping the uploads of dead instances", e);
        }
        observed.keySet().retainAll(states.keySet()); // forget instances that have nothing open any more
        return aborted;
    }

    private String heartbeatState(String instance) {
        try {
            return s3.headObject(b -> b.bucket(bucket).key(layout.heartbeat(instance))).eTag();
        } catch (SdkException e) {
            if (S3Errors.isNotFound(e)) {
                return ABSENT;
            }
            throw e;
        }
    }
}
