package dev.filestaging.app;

import dev.filestaging.adapter.s3.testing.S3TestServerExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The storage contract on a PostgreSQL catalog with blobs on S3Proxy. */
class PostgresS3StagingStoreContractIT extends PostgresS3ContractTestBase {
    @RegisterExtension
    static final S3TestServerExtension S3 = new S3TestServerExtension();

    @Override
    protected S3TestServerExtension server() {
        return S3;
    }
}
