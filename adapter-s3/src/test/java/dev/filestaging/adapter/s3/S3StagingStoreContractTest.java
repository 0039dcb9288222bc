package dev.filestaging.adapter.s3;

import dev.filestaging.adapter.s3.testing.S3TestServerExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The shared storage contract against S3Proxy, which checks AWS signatures and makes conditional writes atomic. */
class S3StagingStoreContractTest extends S3ContractTestBase {

    @RegisterExtension
    static final S3TestServerExtension S3 = new S3TestServerExtension();

    @Override
    protected S3TestServerExtension server() {
        return S3;
    }
}
