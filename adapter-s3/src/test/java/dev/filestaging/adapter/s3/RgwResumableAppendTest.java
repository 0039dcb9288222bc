package dev.filestaging.adapter.s3;

import dev.filestaging.adapter.s3.testing.S3TestServer;
import dev.filestaging.adapter.s3.testing.S3TestServerExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The deferred-length appends that once hung, against Ceph RGW (the cluster shared by the test JVM). */
class RgwResumableAppendTest extends S3ResumableAppendTestBase {

    @RegisterExtension
    static final S3TestServerExtension RGW = new S3TestServerExtension(S3TestServer.Kind.CEPH_RGW);

    @Override
    protected S3TestServerExtension server() {
        return RGW;
    }
}
