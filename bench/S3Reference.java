import java.net.URI;
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
 * {@code java -cp app/target/files-app.jar bench/S3Reference.java ENDPOINT BUCKET FILE RUNS PART_BYTES}.
 * Prints one line per timed run: {@code seconds}. One untimed warm-up run comes first.
 *
 * <p>Like the app, it drops the SDK's {@code x-amz-mp-object-size} header, which S3Proxy answers with 501.
 */
public class S3Reference {
    public static void main(String[] args) throws Exception {
        URI endpoint = URI.create(args[0]);
        String bucket = args[1];
        Path file = Path.of(args[2]);
        int runs = Integer.parseInt(args[3]);
        long partBytes = Long.parseLong(args[4]);
        try (S3AsyncClient s3 = S3AsyncClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(args.length > 5 ? args[5] : "bench", args.length > 6 ? args[6] : "benchsecret")))
                .overrideConfiguration(o -> o.addExecutionInterceptor(new DropObjectSizeCheck()))
                .multipartEnabled(true)
                .multipartConfiguration(c -> c.minimumPartSizeInBytes(partBytes).thresholdInBytes(partBytes))
                .build()) {
            try {
                s3.createBucket(CreateBucketRequest.builder().bucket(bucket).build()).join();
            } catch (RuntimeException alreadyThere) {
                // a bucket left by the app's run is fine
            }
            for (int run = -1; run < runs; run++) {
                String key = "reference/" + file.getFileName() + "-" + run;
                long start = System.nanoTime();
                s3.putObject(PutObjectRequest.builder().bucket(bucket).key(key).build(),
                        AsyncRequestBody.fromFile(file)).join();
                double seconds = (System.nanoTime() - start) / 1e9;
                s3.deleteObject(b -> b.bucket(bucket).key(key)).join();
                if (run >= 0) {
                    System.out.println(seconds);
                }
            }
        }
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
