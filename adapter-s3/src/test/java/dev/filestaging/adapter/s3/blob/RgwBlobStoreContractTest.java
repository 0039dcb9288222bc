package dev.filestaging.adapter.s3.blob;

import dev.filestaging.adapter.s3.testing.S3TestServer;
import dev.filestaging.adapter.s3.testing.S3TestServerExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The blob store contract against Ceph's RADOS Gateway 16 (the cluster shared by the test JVM). */
class RgwBlobStoreContractTest extends S3BlobStoreContractTestBase {

    @RegisterExtension
    static final S3TestServerExtension RGW = new S3TestServerExtension(S3TestServer.Kind.CEPH_RGW);

    @Override
    protected S3TestServerExtension server() {
        return RGW;
    }
}
