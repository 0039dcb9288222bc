package dev.filestaging.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.filestaging.adapter.postgres.PostgresCatalog;
import dev.filestaging.adapter.postgres.PostgresServer;
import dev.filestaging.adapter.s3.blob.S3BlobStore;
import dev.filestaging.adapter.s3.client.S3Settings;
import dev.filestaging.adapter.s3.testing.S3TestServer;
import dev.filestaging.domain.storage.CatalogStagingStore;
import dev.filestaging.domain.storage.StagingStore;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.state.ActionChain;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The model-based test of resumable uploads ({@link UploadsModel}) on the multi-instance deployment: a PostgreSQL
 * catalog (a real server, a fresh database per sequence) and S3 blobs (S3Proxy, a fresh bucket per sequence), two
 * instances sharing them, actions routed to either, each restarted and killed at random points; checked after every
 * step from both instances, down to what the bucket and the database hold. An IT: the S3 server's jar is copied in
 * at {@code pre-integration-test}.
 */
class ResumableUploadsModelPostgresIT {

    static final int SEQUENCES = 25;
    static final int STEPS = 20;
    private static final String PREFIX = "staging/";

    private static final UploadsModelActions ACTIONS = new UploadsModelActions();
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static ModelS3Server server;

    @BeforeContainer
    static void start() throws IOException {
        server = ModelS3Server.start("model-pg");
    }

    @AfterContainer
    static void stop() throws IOException {
        if (server != null) {
            server.stop(ACTIONS, "PostgreSQL + S3");
        }
    }

    @AfterTry
    void closeModel() {
        ACTIONS.closeAll();
    }

    @Property(tries = SEQUENCES)
    void resumable_uploads_on_a_shared_catalog_and_bucket_keep_to_the_model(
            @ForAll("chains") ActionChain<UploadsModel> chain) {
        ACTIONS.run(chain);
    }

    @Provide
    Arbitrary<ActionChain<UploadsModel>> chains() {
        return ACTIONS.chains(() -> new UploadsModel(new SharedCatalog(), server.writers), STEPS);
    }

    /** A new database and bucket per sequence, shared by two instances. */
    static final class SharedCatalog implements UploadsModel.Storage {
        private final String bucket = "model-pg-" + SEQUENCE.incrementAndGet();
        private final String jdbcUrl;
        private final Map<StagingStore, AutoCloseable[]> parts = new HashMap<>();

        SharedCatalog() {
            server.s3.createBucket(bucket);
            jdbcUrl = PostgresServer.shared().newDatabase();
        }

        @Override
        public int instances() {
            return 2;
        }

        @Override
        public StagingStore open() {
            PostgresCatalog catalog = PostgresCatalog.open(jdbcUrl, PostgresServer.USER, PostgresServer.PASSWORD);
            S3BlobStore blobs = S3BlobStore.open(new S3Settings(bucket, PREFIX, S3TestServer.REGION, server.s3.endpoint(),
                    true, S3Settings.MIN_PART_SIZE_BYTES, Duration.ofSeconds(5)));
            CatalogStagingStore store = new CatalogStagingStore(catalog, blobs, Clock.systemUTC(),
                    Duration.ofMinutes(1));
            parts.put(store, new AutoCloseable[] {blobs, catalog});
            return store;
        }

        /**
         * A killed instance's leases lapse, as they would once their time passed with nobody renewing them (the model
         * runs one step at a time, so no other writer holds a lease now). Nothing else of it is cleaned up.
         */
        @Override
        public void close(StagingStore store, boolean killed) {
            if (killed) {
                sql("UPDATE uploads SET lease_until = now() - interval '1 second' WHERE lease_until IS NOT NULL");
            }
            for (AutoCloseable part : parts.remove(store)) {
                try {
                    part.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }

        /**
         * Nothing but the model's: the catalog's files and open uploads are the model's, its usage is theirs, and
         * every blob in the bucket belongs to one of them unless a kill cut a commit or a write short (an orphan for
         * the sweep).
         */
        @Override
        public void checkLeftovers(UploadsModel model) {
            Map<String, UploadsModel.Phase> phases = model.phases();
            long open = phases.values().stream().filter(phase -> phase == UploadsModel.Phase.OPEN).count();
            try (Connection c = DriverManager.getConnection(jdbcUrl, PostgresServer.USER, PostgresServer.PASSWORD);
                 Statement s = c.createStatement()) {
                var rows = s.executeQuery("SELECT count(*), coalesce(sum(size_bytes), 0) FROM files");
                rows.next();
                assertThat(rows.getLong(1)).as("files in the catalog").isEqualTo(model.files.size());
                long used = rows.getLong(2);
                rows = s.executeQuery("SELECT coalesce(sum(used_bytes), 0), coalesce(sum(files), 0),"
                        + " coalesce(sum(open_uploads), 0) FROM areas");
                rows.next();
                assertThat(rows.getLong(1)).as("used bytes counted").isEqualTo(used);
                assertThat(rows.getLong(2)).as("files counted").isEqualTo(model.files.size());
                assertThat(rows.getLong(3)).as("open uploads counted").isEqualTo(open);
                rows = s.executeQuery("SELECT count(*) FROM uploads WHERE state = 'open'");
                rows.next();
                assertThat(rows.getLong(1)).as("open uploads (model: %s)", phases).isEqualTo(open);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            if (!model.killedWhileWriting) {
                assertThat(server.s3.openMultipartUploads(bucket).size()).as("multipart uploads: of open uploads at most")
                        .isLessThanOrEqualTo((int) open);
            }
        }

        private void sql(String statement) {
            try (Connection c = DriverManager.getConnection(jdbcUrl, PostgresServer.USER, PostgresServer.PASSWORD);
                 Statement s = c.createStatement()) {
                s.executeUpdate(statement);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() {
            List<AutoCloseable[]> left = new ArrayList<>(parts.values());
            parts.clear();
            for (AutoCloseable[] each : left) {
                for (AutoCloseable part : each) {
                    try {
                        part.close();
                    } catch (Exception ignored) {
                        // the model is over
                    }
                }
            }
        }
    }
}
