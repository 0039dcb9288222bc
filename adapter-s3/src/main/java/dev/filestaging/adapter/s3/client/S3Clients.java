package dev.filestaging.adapter.s3.client;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.multipart.MultipartConfiguration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The two SDK clients a store uses: a synchronous one for small calls (records, listings, deletes, reads), and an
 * asynchronous one whose multipart support streams content of unknown length in bounded parts. Public for the
 * module's {@code blob} and {@code legacy} packages only: SDK types never leave the module.
 */
public final class S3Clients implements AutoCloseable {

    /** Connection set-up is fast on any working network; waiting longer only delays the 503. */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final int MAX_CONNECTIONS = 128;
    /** The most a caller hands the asynchronous client in one write (the writers' buffers are smaller). */
    private static final int LARGEST_WRITE_BYTES = 256 * 1024;

    private final S3Client calls;
    private final S3AsyncClient uploads;
    /** Signs URLs locally; makes no calls. */
    private final S3Presigner presigner;
    private final EventLoopGroup eventLoops;

    private S3Clients(S3Client calls, S3AsyncClient uploads, S3Presigner presigner, EventLoopGroup eventLoops) {
        this.calls = calls;
        this.uploads = uploads;
        this.presigner = presigner;
        this.eventLoops = eventLoops;
    }

    /** The synchronous client: records, listings, deletes, reads (also the {@code legacy} package's). */
    public S3Client calls() {
        return calls;
    }

    /** The asynchronous client, whose multipart support streams content in parts. */
    public S3AsyncClient uploads() {
        return uploads;
    }

    /** Signs URLs locally; makes no calls. */
    public S3Presigner presigner() {
        return presigner;
    }

    public static S3Clients create(S3Settings settings) {
        return create(settings, List.of());
    }

    /** With interceptors that see every call, for tests that count requests. */
    static S3Clients create(S3Settings settings, List<ExecutionInterceptor> interceptors) {
        DefaultCredentialsProvider credentials = DefaultCredentialsProvider.builder().build();
        Duration timeout = settings.requestTimeout();
        boolean optionalChecksums = settings.checksums() != ChecksumMode.WHEN_REQUIRED;
        RequestChecksumCalculation requestChecksums = optionalChecksums
                ? RequestChecksumCalculation.WHEN_SUPPORTED : RequestChecksumCalculation.WHEN_REQUIRED;
        ResponseChecksumValidation responseChecksums = optionalChecksums
                ? ResponseChecksumValidation.WHEN_SUPPORTED : ResponseChecksumValidation.WHEN_REQUIRED;
        // Our own event loops, so that closing does not sit through Netty's default two-second quiet period.
        EventLoopGroup eventLoops = new NioEventLoopGroup(0, new DefaultThreadFactory("s3-upload", true));
        var calls = S3Client.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials)
                .forcePathStyle(settings.pathStyleAccess())
                .requestChecksumCalculation(requestChecksums)
                .responseChecksumValidation(responseChecksums)
                .httpClientBuilder(Apache5HttpClient.builder()
                        .connectionTimeout(CONNECT_TIMEOUT)
                        .socketTimeout(timeout)
                        .maxConnections(MAX_CONNECTIONS))
                .overrideConfiguration(o -> o.apiCallTimeout(timeout).executionInterceptors(interceptors));
        var uploads = S3AsyncClient.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials)
                .forcePathStyle(settings.pathStyleAccess())
                .requestChecksumCalculation(requestChecksums)
                .responseChecksumValidation(responseChecksums)
                .httpClientBuilder(NettyNioAsyncHttpClient.builder()
                        .eventLoopGroup(SdkEventLoopGroup.create(eventLoops))
                        .connectionTimeout(CONNECT_TIMEOUT)
                        .readTimeout(timeout)
                        .writeTimeout(timeout)
                        .maxConcurrency(MAX_CONNECTIONS))
                .overrideConfiguration(o -> o.executionInterceptors(interceptors)
                        .addExecutionInterceptor(new CompatibilityInterceptor()))
                .multipartEnabled(true)
                .multipartConfiguration(MultipartConfiguration.builder()
                        .thresholdInBytes(settings.partSizeBytes())
                        .minimumPartSizeInBytes(settings.partSizeBytes())
                        // Two parts (with a length unknown, the first goes only once the second is complete) and
                        // the largest write: with exactly two parts, a write that straddles the end of the second
                        // is never asked for, and the upload waits forever.
                        .apiCallBufferSizeInBytes(2 * settings.partSizeBytes() + LARGEST_WRITE_BYTES)
                        .build());
        var presigner = S3Presigner.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(settings.pathStyleAccess()).build());
        settings.endpointIfSet().ifPresent(endpoint -> {
            calls.endpointOverride(endpoint);
            uploads.endpointOverride(endpoint);
            presigner.endpointOverride(endpoint);
        });
        return new S3Clients(calls.build(), uploads.build(), presigner.build(), eventLoops);
    }

    @Override
    public void close() {
        uploads.close();
        calls.close();
        presigner.close();
        eventLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
