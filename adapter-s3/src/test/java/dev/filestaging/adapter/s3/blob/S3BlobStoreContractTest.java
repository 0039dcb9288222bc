package dev.filestaging.adapter.s3.blob;

import dev.filestaging.adapter.s3.testing.S3TestServerExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The blob store contract against S3Proxy. */
class S3BlobStoreContractTest extends S3BlobStoreContractTestBase {

    @RegisterExtension
    static final S3TestServerExtension S3 = new S3TestServerExtension();

    @Override
    protected S3TestServerExtension server() {
        return S3;
    }
}
