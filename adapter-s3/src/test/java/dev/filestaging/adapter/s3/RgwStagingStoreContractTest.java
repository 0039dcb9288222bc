package dev.filestaging.adapter.s3;

import dev.filestaging.adapter.s3.testing.S3TestServer;
import dev.filestaging.adapter.s3.testing.S3TestServerExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shared storage contract against Ceph's RADOS Gateway 16 (Debian's packages, a single-node cluster on
 * loopback): a real distributed object store with its own reading of S3, unlike the test servers.
 */
class RgwStagingStoreContractTest extends S3ContractTestBase {

    @RegisterExtension
    static final S3TestServerExtension RGW = new S3TestServerExtension(S3TestServer.Kind.CEPH_RGW);

    @Override
    protected S3TestServerExtension server() {
        return RGW;
    }
}
