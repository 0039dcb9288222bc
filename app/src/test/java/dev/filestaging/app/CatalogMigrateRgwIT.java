package dev.filestaging.app;

import dev.filestaging.adapter.s3.testing.S3TestServer;
import dev.filestaging.adapter.s3.testing.S3TestServerExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The upgrade from the bucket-only catalog on Ceph RGW 16 (see {@link CatalogMigrateTestBase}). */
class CatalogMigrateRgwIT extends CatalogMigrateTestBase {
    @RegisterExtension
    static final S3TestServerExtension RGW = new S3TestServerExtension(S3TestServer.Kind.CEPH_RGW);

    @Override
    S3TestServerExtension server() {
        return RGW;
    }
}
