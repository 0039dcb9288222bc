package dev.filestaging.app;

import dev.filestaging.adapter.s3.testing.S3TestServer;
import dev.filestaging.adapter.s3.testing.S3TestServerExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Deferred-length appends past two parts, PostgreSQL catalog and blobs on Ceph RGW 16. */
class RgwResumableAppendIT extends S3ResumableAppendTestBase {
    @RegisterExtension
    static final S3TestServerExtension RGW = new S3TestServerExtension(S3TestServer.Kind.CEPH_RGW);

    @Override
    protected S3TestServerExtension server() {
        return RGW;
    }
}
