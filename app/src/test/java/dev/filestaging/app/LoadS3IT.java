package dev.filestaging.app;

import dev.filestaging.adapter.s3.testing.S3TestServerExtension;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Load and races against a real S3 server (S3Proxy over HTTP). */
class LoadS3IT extends LoadSuite {
    LoadS3IT() {
        super("s3");
    }

    @RegisterExtension
    static final S3TestServerExtension S3 = new S3TestServerExtension();

    @TempDir
    static Path work;

    /**
     * 50 uploads per client (400 in all): each costs several S3 calls, and on 2 cores 1,600 took 70-110 s of the build
     * (800: 60-120 s). 400 mixed uploads with deletes and listings still churn the same names many times over.
     */
    @Override
    int uploadsPerClient() {
        return 50;
    }

    @Override
    Backend backend(String label) {
        return new Backend.S3Bucket(work.resolve(label), S3.server(), S3.newBucket(label));
    }
}
