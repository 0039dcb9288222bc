import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CreateBucketRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * The S3 reference of the benchmark: uploads a file straight to the S3 server with the AWS SDK v2's multipart client
 * (the SDK's own fast path for a file on disk, same part size as the app), so the app's S3 figures have a same-run
 * baseline. Run with the app jar on the class path (it carries the SDK):
 * {@code java -cp app/target/files-app.jar bench/S3Reference.java ENDPOINT BUCKET FILE PART_BYTES ACCESS SECRET
 * [when_supported|when_required [CONNECTIONS]]}: the checksums the app sends on that store (Ceph RGW 16 takes only
 * required ones), and a bound on connections (on RGW 16 with 2 cores the SDK's default 50 parts at once timed out).
 * After one untimed warm-up it prints {@code ready}, then uploads once for each line read from stdin and prints the
 * seconds it took, so the benchmark can alternate its runs with the app's: both then meet the S3 server in the same
 * state (its JIT, its disk).
 *
 * <p>Like the app, it drops the SDK's {@code x-amz-mp-object-size} header, which S3Proxy answers with 501.
 */
public class S3Reference {
    public static void main(String[] args) throws Exception {
        URI endpoint = URI.create(args[0]);
        String bucket = args[1];
        Path file = Path.of(args[2]);
        long partBytes = Long.parseLong(args[3]);
        try (S3AsyncClient s3 = S3AsyncClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(args[4], args[5])))
                .requestChecksumCalculation(args.length > 6 && args[6].equals("when_required")
                        ? software.amazon.awssdk.core.checksums.RequestChecksumCalculation.WHEN_REQUIRED
                        : software.amazon.awssdk.core.checksums.RequestChecksumCalculation.WHEN_SUPPORTED)
                .overrideConfiguration(o -> o.addExecutionInterceptor(new DropObjectSizeCheck()))
                .httpClientBuilder(software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient.builder()
                        .maxConcurrency(args.length > 7 ? Integer.parseInt(args[7]) : 50)
                        // parts queue for a connection while a slow store works through the others
                        .connectionAcquisitionTimeout(java.time.Duration.ofMinutes(5)))
                .multipartEnabled(true)
                .multipartConfiguration(c -> c.minimumPartSizeInBytes(partBytes).thresholdInBytes(partBytes))
                .build()) {
            try {
                s3.createBucket(CreateBucketRequest.builder().bucket(bucket).build()).join();
            } catch (RuntimeException alreadyThere) {
                // a bucket left by the app's run is fine
            }
            upload(s3, bucket, file, "warm-up");
            System.out.println("ready");
            BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (int run = 0; commands.readLine() != null; run++) {
                System.out.println(upload(s3, bucket, file, "run-" + run));
            }
        }
    }

    private static double upload(S3AsyncClient s3, String bucket, Path file, String name) {
        String key = "reference/" + file.getFileName() + "-" + name;
        long start = System.nanoTime();
        s3.putObject(PutObjectRequest.builder().bucket(bucket).key(key).build(), AsyncRequestBody.fromFile(file)).join();
        double seconds = (System.nanoTime() - start) / 1e9;
        s3.deleteObject(b -> b.bucket(bucket).key(key)).join();
        return seconds;
    }

    static final class DropObjectSizeCheck implements ExecutionInterceptor {
        @Override
        public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
            return context.request() instanceof CompleteMultipartUploadRequest complete
                    ? complete.toBuilder().mpuObjectSize(null).build()
                    : context.request();
        }
    }
}
