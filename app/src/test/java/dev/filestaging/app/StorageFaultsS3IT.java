package dev.filestaging.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.filestaging.adapter.s3.testing.FaultInjectingProxy;
import dev.filestaging.adapter.s3.testing.S3TestServer;
import dev.filestaging.adapter.s3.testing.S3TestServerExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * S3 faults on the running app, against S3Proxy over HTTP: 503 on upload parts (behind a fault-injecting proxy),
 * S3 gone and back, and {@code kill -9} under load.
 */
class StorageFaultsS3IT extends StorageFaultsSuite {
    StorageFaultsS3IT() {
        super("s3");
    }

    @RegisterExtension
    static final S3TestServerExtension S3 = new S3TestServerExtension();

    @TempDir
    static Path work;

    @Override
    Backend backend(String label) {
        return new Backend.S3Bucket(work.resolve(label), S3.server(), S3.newBucket(label));
    }

    @Override
    boolean crashLeavesInvisibleLeftovers() {
        return true;
    }

    private static byte[] random(int size) {
        byte[] content = new byte[size];
        new Random(size).nextBytes(content);
        return content;
    }

    /** One S3Proxy without signature checks for every proxied case (a bucket each): starting one costs seconds. */
    private static S3TestServer openServer;

    private static synchronized S3TestServer openServer() throws java.io.IOException {
        if (openServer == null) {
            openServer = S3TestServer.startWithoutAuthentication(work.resolve("open-s3"));
        }
        return openServer;
    }

    @org.junit.jupiter.api.AfterAll
    static void stopOpenServer() {
        if (openServer != null) {
            openServer.close();
            openServer = null;
        }
    }

    /** A case against the app with S3 behind the fault-injecting proxy, from a warmed-up baseline. */
    interface ProxiedCase {
        void run(FaultInjectingProxy proxy, Backend backend, Invariants invariants, Invariants.Baseline before)
                throws Exception;
    }

    /**
     * Runs {@code test} against an app whose S3 is reached through a {@link FaultInjectingProxy}. This S3Proxy does
     * not check signatures: the proxy changes the Host header, which the signature covers.
     */
    private void behindProxy(String label, ProxiedCase test) throws Exception {
        S3TestServer open = openServer();
        try (FaultInjectingProxy proxy = new FaultInjectingProxy(open.endpoint())) {
            open.createBucket(label);
            Backend backend = new Backend.S3Bucket(work.resolve(label), open, label, proxy.endpoint().toString());
            app = backend.start(Map.of());
            Invariants invariants = new Invariants(backend, app);
            try {
                test.run(proxy, backend, invariants, invariants.warmUpAndCapture(WARM_UP_BYTES));
            } catch (AssertionError failed) {
                // the app's log names the cause of an unexpected answer (a 500's stack trace); it is gone after the run
                failed.addSuppressed(new AssertionError("the app's log:\n" + app.output()));
                throw failed;
            }
            stopApp();
        }
    }

    @Test
    void a_503_on_upload_parts_is_retried_and_the_file_is_stored_intact() throws Exception {
        behindProxy("slow-down", (proxy, backend, invariants, before) -> {
            byte[] content = random(20 * 1024 * 1024);
            proxy.failNext(FaultInjectingProxy.Request::isUploadPart, 2, 503);

            RawHttp.Response response = invariants.upload("retried.bin", content);

            assertThat(response.status()).as(response.body()).isEqualTo(201);
            assertThat(proxy.failedRequests()).isEqualTo(2);
            String md5 = E2e.md5(content);
            assertThat(JSON.readTree(response.body()).get("digest").get("hash").asText()).isEqualTo(md5);
            assertThat(backend.storedDigests()).containsExactly(md5);
            assertThat(invariants.delete("retried.bin")).isEqualTo(204);
            Invariants.Drift drift = invariants.assertNothingChanged(before, "retried.bin");
            report.passed("S3 answers 503 SlowDown to two upload parts", "retried by the SDK; 201 with the right MD5,"
                    + " bytes re-read intact", drift);
        });
    }

    @Test
    void a_part_that_keeps_failing_is_a_503_for_the_client_and_leaves_nothing() throws Exception {
        behindProxy("failing-part", (proxy, backend, invariants, before) -> {
            proxy.failNext(FaultInjectingProxy.Request::isUploadPart, 1_000, 503);

            RawHttp.Response response = invariants.upload("doomed.bin", random(20 * 1024 * 1024));

            proxy.failNext(request -> false, 0, 503);
            assertThat(response.status()).as(response.body()).isEqualTo(503);
            assertThat(JSON.readTree(response.body()).get("code").asText()).isEqualTo("storage_unavailable");
            assertThat(response.header("Retry-After")).isNotNull();
            Invariants.Drift drift = invariants.assertNothingChanged(before, "doomed.bin");
            report.passed("S3 answers 503 to every upload part", "503 storage_unavailable with Retry-After after "
                    + proxy.failedRequests() + " failed part requests; multipart upload aborted", drift);
        });
    }

    @Test
    void a_resumable_upload_whose_pieces_s3_refuses_keeps_its_offset_and_finishes_once_s3_is_back() throws Exception {
        behindProxy("tus-pieces", (proxy, backend, invariants, before) -> {
            byte[] content = random(12 * 1024 * 1024);
            int half = content.length / 2;
            Tus tus = new Tus(app.port);
            String upload = tus.create("resumed.bin", content.length);
            assertThat(tus.patch(upload, 0, content, 0, half).status()).isEqualTo(204);
            // every write of the upload's bytes: its pieces and tails, and parts of its blob
            proxy.failNext(request -> "PUT".equals(request.method())
                    && (request.pathAndQuery().contains("/blob-tails/") || request.pathAndQuery().contains("/blobs/")),
                    1_000, 503);

            RawHttp.Response refused = tus.patch(upload, half, content, half, content.length);

            proxy.failNext(request -> false, 0, 503);
            assertThat(refused.status()).as(refused.body()).isEqualTo(503);
            assertThat(JSON.readTree(refused.body()).get("code").asText()).isEqualTo("storage_unavailable");
            assertThat(tus.offset(upload)).as("the offset of the last good PATCH").isEqualTo(half);
            RawHttp.Response finished = tus.patch(upload, half, content, half, content.length);
            assertThat(finished.status()).as(finished.body()).isEqualTo(204);
            String md5 = E2e.md5(content);
            assertThat(backend.storedDigests()).containsExactly(md5);
            assertThat(invariants.delete("resumed.bin")).isEqualTo(204);
            Invariants.Drift drift = invariants.assertNothingChanged(before, "resumed.bin");
            report.passed("tus: S3 answers 503 to every piece of a PATCH", "503 storage_unavailable, the offset"
                    + " unchanged (" + half + "); the same PATCH once S3 is back stages the file with the right MD5",
                    drift);
        });
    }

    @Test
    void a_commit_whose_answer_is_lost_is_not_undone_when_the_sdk_retries_it() throws Exception {
        behindProxy("lost-answer", (proxy, backend, invariants, before) -> {
            byte[] content = random(64 * 1024);
            proxy.failNext(FaultInjectingProxy.Request::isBlobCompletion, 1, 500, true);

            RawHttp.Response response = invariants.upload("written-twice.bin", content);

            assertThat(proxy.failedRequests()).as("S3 stored the blob, then answered 500").isEqualTo(1);
            assertThat(response.status()).as(response.body()).isEqualTo(201);
            String md5 = E2e.md5(content);
            assertThat(invariants.listing().get("files").get(0).get("digest").get("hash").asText()).isEqualTo(md5);
            assertThat(backend.storedDigests()).as("the content the record points to").containsExactly(md5);
            assertThat(invariants.delete("written-twice.bin")).isEqualTo(204);
            Invariants.Drift drift = invariants.assertNothingChanged(before, "written-twice.bin");
            report.passed("S3 stores the blob, then answers 500; the SDK writes it again",
                    "201: the same bytes stored once more, the catalog's commit follows, bytes intact", drift);
        });
    }

    @Test
    void a_delete_whose_answer_is_lost_leaves_the_file_gone_and_its_name_free() throws Exception {
        behindProxy("lost-delete", (proxy, backend, invariants, before) -> {
            assertThat(invariants.upload("doomed.csv", "a,b\n".getBytes()).status()).isEqualTo(201);
            proxy.failNext(FaultInjectingProxy.Request::isBlobDelete, 1, 500, true);

            int status = invariants.delete("doomed.csv");

            assertThat(proxy.failedRequests()).as("S3 deleted the blob, then answered 500").isEqualTo(1);
            // The catalog removed the file first (the delete's commit point); the SDK retries the blob's delete, which
            // S3 answers 204 for an object already gone; had it failed, the blob would be the orphan sweep's.
            assertThat(status).isEqualTo(204);
            assertThat(invariants.listing().get("files")).isEqualTo(before.files());
            int orphans = backend.storedDigests().size() - before.files().size();
            if (status == 204) {
                invariants.awaitNoLeftovers(before.files().size());
                orphans = 0;
            }
            assertThat(invariants.upload("doomed.csv", "c,d\n".getBytes()).status()).as("the name is free")
                    .isEqualTo(201);
            assertThat(invariants.delete("doomed.csv")).isEqualTo(204);
            report.passed("S3 deletes the blob, then answers 500; the SDK retries", status + " to the client;"
                    + " the file is gone, its name free; " + orphans + " invisible blobs left for the orphan sweep",
                    null);
        });
    }

    @Test
    void kill_9_before_the_blob_is_complete_in_s3_leaves_nothing_visible_after_restart() throws Exception {
        behindProxy("kill-before-blob", (proxy, backend, invariants, before) -> {
            Invariants restarted = killWhileBlobCompletionIsHeld(proxy, backend, invariants, "never-named.bin", false);
            assertThat(restarted.listing().get("files")).isEqualTo(before.files());
            assertThat(restarted.listing().get("space").get("usedBytes").asLong()).isEqualTo(before.usedBytes());
            int orphans = backend.storedDigests().size() - before.files().size();
            assertThat(restarted.upload("never-named.bin", "a\n".getBytes()).status()).as("the name is free")
                    .isEqualTo(201);
            assertThat(restarted.delete("never-named.bin")).isEqualTo(204);
            report.passed("kill -9 while the blob's completion is on its way to S3, then restart", "nothing listed,"
                    + " quota unchanged, name free; " + orphans + " invisible blob left for the orphan sweep", null);
        });
    }

    @Test
    void kill_9_after_s3_completed_the_blob_but_before_the_catalog_commit_leaves_nothing_visible() throws Exception {
        behindProxy("kill-after-blob", (proxy, backend, invariants, before) -> {
            Invariants restarted = killWhileBlobCompletionIsHeld(proxy, backend, invariants, "unnamed.bin", true);
            assertThat(restarted.listing().get("files")).as("the catalog's commit is the commit point")
                    .isEqualTo(before.files());
            assertThat(restarted.listing().get("space").get("usedBytes").asLong()).isEqualTo(before.usedBytes());
            int orphans = backend.storedDigests().size() - before.files().size();
            assertThat(restarted.upload("unnamed.bin", "a\n".getBytes()).status()).as("the name is free")
                    .isEqualTo(201);
            assertThat(restarted.delete("unnamed.bin")).isEqualTo(204);
            report.passed("kill -9 after S3 completed the blob, before the answer (so before the catalog's commit),"
                    + " then restart", "nothing listed, quota unchanged, name free; " + orphans + " invisible blob"
                    + " left for the orphan sweep", null);
        });
    }

    private static final byte[] BACKGROUND_CONTENT = random(300 * 1024);

    /**
     * Uploads {@code BACKGROUND_CONTENT} as {@code name}, holds the write completing its blob at the proxy (before S3
     * sees it, or after S3 stored it), kills the app with {@code kill -9} right then, and starts it again.
     */
    private Invariants killWhileBlobCompletionIsHeld(FaultInjectingProxy proxy, Backend backend, Invariants invariants,
                                                 String name, boolean afterS3StoredIt) throws Exception {
        proxy.holdNext(FaultInjectingProxy.Request::isBlobCompletion, afterS3StoredIt);
        CompletableFuture<RawHttp.Response> upload = CompletableFuture.supplyAsync(() -> {
            try {
                return invariants.upload(name, BACKGROUND_CONTENT);
            } catch (java.io.IOException killed) {
                return new RawHttp.Response(0, Map.of(), "");
            }
        });
        assertThat(proxy.awaitHeld(Duration.ofSeconds(30))).as("the upload reached its blob's completion").isTrue();
        app.kill();
        proxy.release();
        assertThat(upload.get().status()).as("the client got no answer").isZero();
        app = backend.start(Map.of());
        return new Invariants(backend, app);
    }

    @Test
    void while_s3_is_down_uploads_are_503_and_service_resumes_when_it_is_back() throws Exception {
        Backend backend = backend("outage");
        app = backend.start(Map.of());
        Invariants invariants = new Invariants(backend, app);
        Invariants.Baseline before = invariants.warmUpAndCapture(WARM_UP_BYTES);
        assertThat(health(app, "ready").status()).isEqualTo(200);
        S3.server().stop();
        RawHttp.Response response;
        RawHttp.Response ready;
        RawHttp.Response live;
        try {
            response = invariants.upload("during-outage.csv", "a,b\n".getBytes());
            Thread.sleep(2_100); // past the readiness cache
            ready = health(app, "ready");
            live = health(app, "live");
        } finally {
            S3.server().start();
        }
        assertThat(ready.status()).as("not ready while S3 is down: " + ready.body()).isEqualTo(503);
        assertThat(JSON.readTree(ready.body()).get("storage").asText()).contains("bucket");
        assertThat(live.status()).as("but alive").isEqualTo(200);
        Thread.sleep(2_100);
        assertThat(health(app, "ready").status()).as("ready again once S3 is back").isEqualTo(200);
        assertThat(response.status()).as(response.body()).isEqualTo(503);
        assertThat(JSON.readTree(response.body()).get("code").asText()).isEqualTo("storage_unavailable");
        assertThat(response.header("Retry-After")).isEqualTo("5");
        Invariants.Drift drift = invariants.assertNothingChanged(before, "during-outage.csv");
        report.passed("S3 down during an upload, then back", "503 storage_unavailable with Retry-After: 5;"
                + " /health/ready 503 and /health/live 200 while it is down; the next upload after recovery succeeds",
                drift);
    }

    private static RawHttp.Response health(RunningApp app, String which) throws java.io.IOException {
        return RawHttp.exchange(app.port, ("GET /health/" + which + " HTTP/1.1\r\nHost: localhost\r\nConnection: close"
                + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII), false, java.time.Duration.ofSeconds(30));
    }
}
