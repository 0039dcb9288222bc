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

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        directory = Files.createTempDirectory("s3-test-server-");
        server = S3TestServer.start(kind, directory);
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        server.close();
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(path);
            }
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
