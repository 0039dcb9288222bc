package dev.filestaging.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.filestaging.adapter.s3.S3Settings;
import dev.filestaging.adapter.s3.S3StagingStore;
import dev.filestaging.adapter.s3.testing.S3TestServer;
import dev.filestaging.ports.out.StagingStore;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.state.ActionChain;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The model-based test of resumable uploads ({@link UploadsModel}) on S3: the domain's service over real S3 stores on
 * one bucket of a real S3 server (S3Proxy), two instances sharing it, actions routed to either, each restarted and
 * killed at random points; checked after every step from both instances, down to what the bucket holds (through a
 * raw S3 client). An IT: the S3 server's jar is copied in at {@code pre-integration-test}.
 */
class ResumableUploadsModelS3IT {

    /** Sequences, and steps in each: together about 45 s on two cores (50 × 20). */
    static final int SEQUENCES = 50;
    static final int STEPS = 20;
    private static final String PREFIX = "staging/";

    private static final UploadsModelActions ACTIONS = new UploadsModelActions();
    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static ModelS3Server server;

    @BeforeContainer
    static void start() throws IOException {
        server = ModelS3Server.start("model-s3");
    }

    @AfterContainer
    static void stop() throws IOException {
        if (server != null) {
            server.stop(ACTIONS, "S3");
        }
    }

    @AfterTry
    void closeModel() {
        ACTIONS.closeAll();
    }

    @Property(tries = SEQUENCES)
    void resumable_uploads_on_a_shared_bucket_keep_to_the_model(@ForAll("chains") ActionChain<UploadsModel> chain) {
        ACTIONS.run(chain);
    }

    @Provide
    Arbitrary<ActionChain<UploadsModel>> chains() {
        return ACTIONS.chains(() -> new UploadsModel(new SharedBucket(), server.writers), STEPS);
    }

    /** A new bucket per sequence, shared by two instances. */
    static final class SharedBucket implements UploadsModel.Storage {
        private final String bucket = "model-" + BUCKETS.incrementAndGet();

        SharedBucket() {
            server.s3.createBucket(bucket);
        }

        @Override
        public int instances() {
            return 2;
        }

        @Override
        public StagingStore open() {
            return S3StagingStore.open(new S3Settings(bucket, PREFIX, S3TestServer.REGION,
                    server.s3.endpoint(), true,
                    S3Settings.MIN_PART_SIZE_BYTES, Duration.ofSeconds(5), true, S3Settings.DEFAULT_ORPHAN_AGE));
        }

        /**
         * A killed instance's jobs stop and its heartbeat goes, as if its timeout had passed: the other instances may
         * take over the locks it left. Nothing else of it is cleaned up.
         */
        @Override
        public void close(StagingStore store, boolean killed) {
            ((S3StagingStore) store).close();
        }

        /**
         * Nothing but the model's: objects only of open uploads (a staged one keeps its note; the lock of a writer
         * that died stays until the next expiry sweep), one content object per staged file, no delete claims, and no
         * multipart upload unless a kill cut a piece short.
         */
        @Override
        public void checkLeftovers(UploadsModel model) {
            Map<String, UploadsModel.Phase> phases = model.phases();
            Map<String, Set<String>> byUpload = new HashMap<>();
            String uploads = PREFIX + "uploads/";
            for (S3Object object : server.s3.objects(bucket, uploads)) {
                String rest = object.key().substring(uploads.length());
                byUpload.computeIfAbsent(rest.substring(0, rest.indexOf('/')), id -> new HashSet<>())
                        .add(rest.substring(rest.indexOf('/') + 1));
            }
            byUpload.forEach((id, keys) -> {
                if (model.strayLocks.contains(id)) {
                    keys.remove("lock"); // of a writer that died, until the next expiry sweep
                    if (keys.isEmpty()) {
                        return;
                    }
                }
                UploadsModel.Phase phase = phases.get(id);
                assertThat(phase).as("objects %s of upload %s (uploads: %s)", keys, id, model.uploads).isNotNull();
                if (phase == UploadsModel.Phase.STAGED) {
                    assertThat(keys).as("objects of the staged upload %s", id).containsOnly("staged");
                } else {
                    assertThat(phase).as("objects %s of upload %s, which ended (uploads: %s)", keys, id,
                            model.uploads).isEqualTo(UploadsModel.Phase.OPEN);
                    assertThat(keys).as("objects of the open upload %s", id).contains("state");
                }
            });
            long content = server.s3.objects(bucket, PREFIX + "areas/").stream()
                    .filter(o -> o.key().contains("/content/")).count();
            assertThat(content).as("content objects, one per staged file").isEqualTo(model.files.size());
            assertThat(server.s3.objects(bucket, PREFIX + "areas/")).as("delete claims")
                    .noneMatch(o -> o.key().contains("/deletes/"));
            if (!model.killedWhileWriting) {
                assertThat(server.s3.openMultipartUploads(bucket)).as("multipart uploads left open").isEmpty();
            }
        }

        @Override
        public void close() {
            // the bucket goes with the server's directory
        }
    }
}
