package dev.filestaging.adapter.s3.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link S3TestServer} for a test class, started before its first test and removed after its last:
 * {@code @RegisterExtension static final S3TestServerExtension S3 = new S3TestServerExtension();}.
 */
public final class S3TestServerExtension implements BeforeAllCallback, AfterAllCallback {

    private final S3TestServer.Kind kind;
    private final AtomicInteger buckets = new AtomicInteger();
    private Path directory;
    private S3TestServer server;

    public S3TestServerExtension() {
        this(S3TestServer.Kind.S3PROXY);
    }

    public S3TestServerExtension(S3TestServer.Kind kind) {
        this.kind = kind;
    }

    /**
     * One Ceph cluster for the whole test JVM: it takes about 13 s to start, and the test classes that use it work in
     * buckets of their own. Stopped when the JVM ends.
     */
    private static S3TestServer sharedRgw;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        if (kind == S3TestServer.Kind.CEPH_RGW) {
            server = sharedRgw();
            return;
        }
        directory = Files.createTempDirectory("s3-test-server-");
        server = S3TestServer.start(kind, directory);
    }

    private static synchronized S3TestServer sharedRgw() throws IOException {
        if (sharedRgw == null) {
            Path cluster = Files.createTempDirectory("ceph-rgw-");
            sharedRgw = S3TestServer.start(S3TestServer.Kind.CEPH_RGW, cluster);
            S3TestServer started = sharedRgw;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                started.close();
                deleteTree(cluster);
            }, "ceph-rgw-stop"));
        }
        return sharedRgw;
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (kind == S3TestServer.Kind.CEPH_RGW) {
            return; // shared, stopped with the JVM
        }
        server.close();
        deleteTree(directory);
    }

    private static void deleteTree(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("could not remove " + directory, e);
        }
    }

    public S3TestServer server() {
        return server;
    }

    /** A new, empty bucket named {@code {prefix}-{n}}. */
    public String newBucket(String prefix) {
        String bucket = prefix + "-" + buckets.incrementAndGet();
        server.createBucket(bucket);
        return bucket;
    }
}
