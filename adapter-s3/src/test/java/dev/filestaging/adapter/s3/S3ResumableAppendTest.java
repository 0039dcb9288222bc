package dev.filestaging.adapter.s3;

import dev.filestaging.adapter.s3.testing.S3TestServerExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The deferred-length appends that once hung, against S3Proxy. */
class S3ResumableAppendTest extends S3ResumableAppendTestBase {

    @RegisterExtension
    static final S3TestServerExtension S3 = new S3TestServerExtension();

    @Override
    protected S3TestServerExtension server() {
        return S3;
    }
}
