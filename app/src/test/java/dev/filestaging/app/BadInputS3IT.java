package dev.filestaging.app;

import dev.filestaging.adapter.s3.testing.S3TestServerExtension;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The bad-input and client-fault cases against a real S3 server (S3Proxy over HTTP). */
class BadInputS3IT extends BadInputSuite {
    @RegisterExtension
    static final S3TestServerExtension S3 = new S3TestServerExtension();

    @TempDir
    static Path work;

    @Override
    Backend backend() {
        return new Backend.S3Bucket(work, S3.server(), S3.newBucket("bad-input"));
    }
}
