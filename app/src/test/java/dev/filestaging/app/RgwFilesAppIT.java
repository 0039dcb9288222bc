package dev.filestaging.app;

import dev.filestaging.adapter.s3.testing.S3TestServer;
import dev.filestaging.adapter.s3.testing.S3TestServerExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The runnable jar on Ceph's RADOS Gateway 16 (a single-node cluster from Debian's packages), with no setting
 * changed: the walk-through, the Polaris Python example and two instances racing for one name on one bucket.
 */
class RgwFilesAppIT extends S3AppTestBase {

    @RegisterExtension
    static final S3TestServerExtension RGW = new S3TestServerExtension(S3TestServer.Kind.CEPH_RGW);

    @Override
    S3TestServerExtension server() {
        return RGW;
    }
}
