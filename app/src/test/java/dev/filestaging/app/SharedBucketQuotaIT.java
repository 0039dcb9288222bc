package dev.filestaging.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.filestaging.adapter.s3.S3Settings;
import dev.filestaging.adapter.s3.S3StagingStore;
import dev.filestaging.adapter.s3.testing.S3TestServer;
import dev.filestaging.domain.StagingService;
import dev.filestaging.domain.quota.Quotas;
import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.Principal;
import dev.filestaging.ports.Role;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.in.UploadCommand;
import dev.filestaging.ports.in.UploadOutcome;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quota when instances share a bucket: strict within an instance, and across instances exceeded by no more than
 * the README states (the files other instances commit concurrently).
 */
class SharedBucketQuotaIT {

    private static final OrganizationId ACME = new OrganizationId("acme");
    private static final StagingArea AREA = StagingArea.defaultProjectOf(ACME);
    private static final Principal UPLOADER = new Principal(ACME, "sa-1", Set.of(Role.MANAGE_FILES));
    private static final int FILE_BYTES = 1_000_000;
    private static final long QUOTA = 5L * FILE_BYTES + FILE_BYTES / 2;

    @TempDir
    Path serverDirectory;

    @Test
    void instances_racing_for_the_last_space_exceed_the_quota_by_at_most_the_other_instances_concurrent_files()
            throws Exception {
        int instances = 2;
        int uploadsPerInstance = 6;
        try (S3TestServer s3 = S3TestServer.start(serverDirectory)) {
            s3.createBucket("quota");
            S3Settings settings = new S3Settings("quota", "", S3TestServer.REGION, s3.endpoint(), true,
                    S3Settings.MIN_PART_SIZE_BYTES, Duration.ofSeconds(10), true, Duration.ofHours(24));
            System.setProperty("aws.accessKeyId", S3TestServer.ACCESS_KEY);
            System.setProperty("aws.secretAccessKey", S3TestServer.SECRET_KEY);
            List<S3StagingStore> stores = new ArrayList<>();
            List<StagingService> services = new ArrayList<>();
            for (int i = 0; i < instances; i++) {
                stores.add(S3StagingStore.open(settings));
                services.add(StagingService.withDefaults(stores.get(i), Quotas.uniform(QUOTA)));
            }
            ExecutorService pool = Executors.newFixedThreadPool(instances * uploadsPerInstance);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<UploadOutcome>> outcomes = new ArrayList<>();
            for (int i = 0; i < instances * uploadsPerInstance; i++) {
                StagingService service = services.get(i % instances);
                String name = "file-" + i + ".bin";
                outcomes.add(pool.submit((Callable<UploadOutcome>) () -> {
                    start.await();
                    return service.upload(new UploadCommand(UPLOADER, AREA, name, null, null, null,
                            new ByteArrayInputStream(new byte[FILE_BYTES])));
                }));
            }
            start.countDown();
            int[] committedPerInstance = new int[instances];
            for (int i = 0; i < outcomes.size(); i++) {
                if (outcomes.get(i).get() instanceof UploadOutcome.Uploaded) {
                    committedPerInstance[i % instances]++;
                } else {
                    assertThat(outcomes.get(i).get()).isInstanceOf(UploadOutcome.QuotaExceeded.class);
                }
            }
            pool.shutdown();

            long used = stores.get(0).usedBytes(AREA);
            long fitting = QUOTA / FILE_BYTES;
            System.out.printf("shared-bucket quota: %d files of %d bytes fit, %d committed (%s per instance),"
                    + " overshoot %d bytes%n", fitting, FILE_BYTES, used / FILE_BYTES,
                    java.util.Arrays.toString(committedPerInstance), Math.max(0, used - QUOTA));
            for (int committed : committedPerInstance) {
                assertThat((long) committed).as("strict within an instance").isLessThanOrEqualTo(fitting);
            }
            // the stated bound: what the other instance had in flight at most
            assertThat(used).isLessThanOrEqualTo(QUOTA + (long) (instances - 1) * uploadsPerInstance * FILE_BYTES);
            assertThat(used).as("the space was used").isGreaterThanOrEqualTo(fitting * FILE_BYTES);
            for (StagingService service : services) {
                assertThat(service.upload(new UploadCommand(UPLOADER, AREA, "one-more.bin", null, null, null,
                        new ByteArrayInputStream(new byte[FILE_BYTES])))).isInstanceOf(UploadOutcome.QuotaExceeded.class);
            }
            stores.forEach(S3StagingStore::close);
        }
    }
}
