package dev.filestaging.app;

import dev.filestaging.adapter.s3.testing.S3TestServerExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The upgrade from the bucket-only catalog on S3Proxy (see {@link CatalogMigrateTestBase}). */
class CatalogMigrateS3ProxyIT extends CatalogMigrateTestBase {
    @RegisterExtension
    static final S3TestServerExtension S3 = new S3TestServerExtension();

    @Override
    S3TestServerExtension server() {
        return S3;
    }
}
