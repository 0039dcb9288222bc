package dev.filestaging.app;

import dev.filestaging.adapter.s3.testing.S3TestServerExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Deferred-length appends past two parts, PostgreSQL catalog and blobs on S3Proxy. */
class S3ResumableAppendIT extends S3ResumableAppendTestBase {
    @RegisterExtension
    static final S3TestServerExtension S3 = new S3TestServerExtension();

    @Override
    protected S3TestServerExtension server() {
        return S3;
    }
}
