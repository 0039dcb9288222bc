package dev.filestaging.app;

import dev.filestaging.adapter.s3.testing.S3TestServer;
import dev.filestaging.adapter.s3.testing.S3TestServerExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The storage contract on a PostgreSQL catalog with blobs on Ceph RGW 16. */
class PostgresRgwStagingStoreContractIT extends PostgresS3ContractTestBase {
    @RegisterExtension
    static final S3TestServerExtension RGW = new S3TestServerExtension(S3TestServer.Kind.CEPH_RGW);

    @Override
    protected S3TestServerExtension server() {
        return RGW;
    }
}
