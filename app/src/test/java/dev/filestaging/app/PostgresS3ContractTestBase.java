package dev.filestaging.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.filestaging.adapter.postgres.PostgresCatalog;
import dev.filestaging.adapter.postgres.PostgresServer;
import dev.filestaging.adapter.s3.blob.S3BlobStore;
import dev.filestaging.adapter.s3.client.S3Settings;
import dev.filestaging.adapter.s3.testing.S3TestServer;
import dev.filestaging.adapter.s3.testing.S3TestServerExtension;
import dev.filestaging.domain.contract.StagingStoreContractTest;
import dev.filestaging.domain.storage.CatalogStagingStore;
import dev.filestaging.domain.storage.StagingStore;
import org.junit.jupiter.api.AfterEach;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The storage contract, resumable uploads and presigned direct reads included, on the multi-instance deployment: a
 * PostgreSQL catalog (a database per store) and blobs in a bucket of a real S3 server (chosen by a subclass). What the
 * bucket-only catalog's own contract runs (S3StagingStoreContractTest and RgwStagingStoreContractTest in adapter-s3) checked before it
 * was retired. Checked underneath: every blob in the bucket is one the catalog refers to, and no multipart upload is
 * open but an open upload's.
 */
abstract class PostgresS3ContractTestBase extends StagingStoreContractTest {
    private static final Duration LEASE = Duration.ofMinutes(1);

    private String bucket;
    private String jdbcUrl;
    private PostgresCatalog catalog;
    private S3BlobStore blobs;
    private final List<AutoCloseable> opened = new ArrayList<>();

    protected abstract S3TestServerExtension server();

    @Override
    protected StagingStore newStore() {
        bucket = server().newBucket("contract");
        jdbcUrl = PostgresServer.shared().newDatabase();
        return open();
    }

    private StagingStore open() {
        catalog = PostgresCatalog.open(jdbcUrl, PostgresServer.USER, PostgresServer.PASSWORD);
        blobs = S3BlobStore.open(new S3Settings(bucket, "staging/", S3TestServer.REGION, server().server().endpoint(),
                true, S3Settings.MIN_PART_SIZE_BYTES, Duration.ofSeconds(5))
                .withRedirectDownloads(true));
        opened.add(blobs);
        opened.add(catalog);
        return new CatalogStagingStore(catalog, blobs, Clock.systemUTC(), LEASE);
    }

    /** Another process after this one died: the dead writers' leases have lapsed, as they would in time. */
    @Override
    protected StagingStore reopen(StagingStore current) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl, PostgresServer.USER, PostgresServer.PASSWORD);
             Statement statement = c.createStatement()) {
            statement.execute("UPDATE uploads SET lease_until = now() - interval '1 second'"
                    + " WHERE lease_until IS NOT NULL");
        }
        return open();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable each : opened) {
            each.close();
        }
        opened.clear();
    }

    @Override
    protected boolean offersDirectReads() {
        return true;
    }

    @Override
    protected void assertNothingPendingLeftBehind() {
        List<String> held = new ArrayList<>();
        blobs.enumerate(blob -> held.add(blob.blobId()));
        assertThat(catalog.referenced(held)).as("blobs the catalog refers to").hasSameSizeAs(held);
        long openUploads = catalog.openUploads();
        assertThat(server().server().openMultipartUploads(bucket).size()).as("multipart uploads but open uploads'")
                .isLessThanOrEqualTo((int) openUploads * 2);
    }
}
