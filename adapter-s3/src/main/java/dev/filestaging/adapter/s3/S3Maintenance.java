package dev.filestaging.adapter.s3;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The background work that keeps a shared bucket clean while instances come and go, on one daemon thread: this
 * instance's heartbeat, the sweep of multipart uploads of instances whose heartbeat stopped, the hourly sweep of
 * orphaned content, and the retries of failed discards. Each job logs its failure and runs again at its next turn.
 */
final class S3Maintenance implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(S3Maintenance.class.getName());
    private static final Duration SWEEP_INTERVAL = Duration.ofHours(1);
    private static final Duration DISCARD_RETRY_INTERVAL = Duration.ofSeconds(3);

    private final S3Client calls;
    private final S3Settings settings;
    private final BucketLayout layout;
    private final NameRecords records;
    private final String instance;
    private final ContentDiscards discards;
    private final DeadInstanceSweep deadInstances;
    private final java.util.concurrent.atomic.AtomicLong orphanSweeps = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong orphansRemoved = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong deadInstanceSweeps = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong deadInstanceUploadsAborted =
            new java.util.concurrent.atomic.AtomicLong();
    private final ScheduledExecutorService scheduler;
    private long heartbeats;

    S3Maintenance(S3Client calls, S3Settings settings, BucketLayout layout, NameRecords records, String instance,
                  ContentDiscards discards) {
        this.calls = calls;
        this.settings = settings;
        this.layout = layout;
        this.records = records;
        this.instance = instance;
        this.discards = discards;
        this.deadInstances = new DeadInstanceSweep(calls, settings.bucket(), layout, instance,
                settings.instanceTimeout(), System::nanoTime);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "s3-orphan-sweeper");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Writes the first heartbeat and schedules every job. */
    void start() {
        // The first sweep waits a little: start-up stays fast, and a test (or an operator) can run one by hand.
        scheduler.scheduleWithFixedDelay(this::sweepQuietly, 1, SWEEP_INTERVAL.toMinutes(), TimeUnit.MINUTES);
        beatQuietly();
        long timeoutMillis = settings.instanceTimeout().toMillis();
        scheduler.scheduleWithFixedDelay(this::beatQuietly, timeoutMillis / 4, timeoutMillis / 4,
                TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(this::sweepDeadInstancesQuietly, timeoutMillis / 2, timeoutMillis / 2,
                TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(discards::retryFailed, DISCARD_RETRY_INTERVAL.toMillis(),
                DISCARD_RETRY_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One sweep of orphaned content as if the time were {@code clock}'s. */
    OrphanSweep.Result sweep(Clock clock) {
        OrphanSweep.Result result = new OrphanSweep(calls, settings.bucket(), layout, records, settings.orphanAge(),
                instance, clock).run();
        orphanSweeps.incrementAndGet();
        orphansRemoved.addAndGet(result.abortedUploads() + result.deletedContent() + result.deletedHeartbeats());
        return result;
    }

    /** One sweep of dead instances' multipart uploads; returns how many were aborted. */
    int sweepDeadInstances() {
        int aborted = deadInstances.run();
        deadInstanceSweeps.incrementAndGet();
        deadInstanceUploadsAborted.addAndGet(aborted);
        return aborted;
    }

    /** The two sweeps this instance runs on its own, counted since it started. */
    java.util.List<dev.filestaging.ports.out.SweepTally> tallies() {
        return java.util.List.of(
                new dev.filestaging.ports.out.SweepTally("orphaned-content", orphanSweeps.get(), orphansRemoved.get()),
                new dev.filestaging.ports.out.SweepTally("dead-instance-uploads", deadInstanceSweeps.get(),
                        deadInstanceUploadsAborted.get()));
    }

    private void sweepQuietly() {
        try {
            OrphanSweep.Result result = sweep(Clock.systemUTC());
            if (result.abortedUploads() + result.deletedContent() + result.deletedHeartbeats() > 0) {
                LOG.log(Level.INFO, "orphan sweep: {0}", result);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "orphan sweep failed, will try again in an hour: {0}", e.getMessage());
        }
    }

    /** Rewrites this instance's heartbeat with a new body, so its ETag changes: the sign of life others watch. */
    private void beatQuietly() {
        try {
            String beat = instance + " " + (++heartbeats) + " " + System.currentTimeMillis();
            calls.putObject(b -> b.bucket(settings.bucket()).key(layout.heartbeat(instance)),
                    RequestBody.fromString(beat));
        } catch (SdkException e) {
            LOG.log(Level.WARNING, "could not write this instance''s heartbeat, will retry: {0}",
                    S3Errors.translate("writing the heartbeat", e).getMessage());
        }
    }

    private void sweepDeadInstancesQuietly() {
        try {
            int aborted = sweepDeadInstances();
            if (aborted > 0) {
                LOG.log(Level.INFO, "aborted {0} multipart uploads of instances that stopped", aborted);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "sweep of dead instances failed, will try again: {0}", e.getMessage());
        }
    }

    /** Stops every job and removes the heartbeat, so the others know at once that this instance is gone. */
    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            calls.deleteObject(b -> b.bucket(settings.bucket()).key(layout.heartbeat(instance)));
        } catch (SdkException e) {
            // the others will see the heartbeat stop changing instead
        }
    }
}
