package dev.filestaging.adapter.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.filestaging.adapter.s3.testing.S3TestServer;
import dev.filestaging.adapter.s3.testing.FaultInjectingProxy;
import dev.filestaging.ports.out.StorageException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store that ignores If-None-Match cannot keep names unique across instances: refused unless allowed. */
class StartupCheckTest {

    private static final String BUCKET = "unconditional";

    @TempDir
    static Path serverDirectory;
    private static S3TestServer s3;
    private static FaultInjectingProxy ignoringConditions;

    @BeforeAll
    static void start() throws Exception {
        s3 = S3TestServer.startWithoutAuthentication(serverDirectory);
        s3.createBucket(BUCKET);
        ignoringConditions = new FaultInjectingProxy(s3.endpoint()).droppingHeader("If-None-Match");
    }

    @AfterAll
    static void stop() {
        ignoringConditions.close();
        s3.close();
    }

    private static S3Settings settings(URI endpoint, boolean requireConditionalWrites) {
        return new S3Settings(BUCKET, "", S3TestServer.REGION, endpoint, true, S3Settings.MIN_PART_SIZE_BYTES,
                Duration.ofSeconds(5), requireConditionalWrites, S3Settings.DEFAULT_ORPHAN_AGE);
    }

    @Test
    void a_store_that_honours_conditional_writes_is_accepted_and_the_probe_is_removed() {
        S3StagingStore.open(settings(s3.endpoint(), true)).close();

        assertThat(s3.objects(BUCKET, "")).isEmpty();
    }

    @Test
    void a_store_that_ignores_conditional_writes_is_refused_with_the_reason() {
        assertThatThrownBy(() -> S3StagingStore.open(settings(ignoringConditions.endpoint(), true)))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("does not honour conditional writes (If-None-Match: *)")
                .hasMessageContaining("allow running without them for a single instance");
        assertThat(s3.objects(BUCKET, "")).isEmpty();
    }

    @Test
    void it_may_be_allowed_explicitly_for_a_single_instance() {
        S3StagingStore.open(settings(ignoringConditions.endpoint(), false)).close();

        assertThat(s3.objects(BUCKET, "")).isEmpty();
    }
}
