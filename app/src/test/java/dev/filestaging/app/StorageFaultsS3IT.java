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
            test.run(proxy, backend, invariants, invariants.warmUpAndCapture(WARM_UP_BYTES));
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
            proxy.failNext(request -> "PUT".equals(request.method()) && request.pathAndQuery().contains("/uploads/")
                    && !request.pathAndQuery().contains("/lock") && !request.pathAndQuery().contains("/state"), 1_000, 503);

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
            proxy.failNext(FaultInjectingProxy.Request::isNameRecordWrite, 1, 500, true);

            RawHttp.Response response = invariants.upload("written-twice.bin", content);

            assertThat(proxy.failedRequests()).as("S3 stored the record, then answered 500").isEqualTo(1);
            assertThat(response.status()).as(response.body()).isEqualTo(201);
            String md5 = E2e.md5(content);
            assertThat(invariants.listing().get("files").get(0).get("digest").get("hash").asText()).isEqualTo(md5);
            assertThat(backend.storedDigests()).as("the content the record points to").containsExactly(md5);
            assertThat(invariants.delete("written-twice.bin")).isEqualTo(204);
            Invariants.Drift drift = invariants.assertNothingChanged(before, "written-twice.bin");
            report.passed("S3 writes the name record, then answers 500; the SDK retries and gets 412",
                    "201: our own record is recognised, the content kept, bytes intact (before this suite: 409 and"
                            + " the content deleted under a visible record)", drift);
        });
    }

    @Test
    void a_delete_whose_answer_is_lost_leaves_the_file_gone_and_its_name_free() throws Exception {
        behindProxy("lost-delete", (proxy, backend, invariants, before) -> {
            assertThat(invariants.upload("doomed.csv", "a,b\n".getBytes()).status()).isEqualTo(201);
            proxy.failNext(FaultInjectingProxy.Request::isNameRecordDelete, 1, 500, true);

            int status = invariants.delete("doomed.csv");

            assertThat(proxy.failedRequests()).as("S3 deleted the record, then answered 500").isEqualTo(1);
            // The SDK retries the conditional delete of a record that is gone: S3Proxy answers 204 (then the content
            // goes too), a store that answers 404 or 412 makes it 404 with the content left to the orphan sweep.
            assertThat(status).isIn(204, 404);
            assertThat(invariants.listing().get("files")).isEqualTo(before.files());
            int orphans = backend.storedDigests().size() - before.files().size();
            if (status == 204) {
                invariants.awaitNoLeftovers(before.files().size());
                orphans = 0;
            }
            assertThat(invariants.upload("doomed.csv", "c,d\n".getBytes()).status()).as("the name is free")
                    .isEqualTo(201);
            assertThat(invariants.delete("doomed.csv")).isEqualTo(204);
            report.passed("S3 deletes the name record, then answers 500; the SDK retries", status + " to the client;"
                    + " the file is gone, its name free; " + orphans + " invisible content objects left for the orphan"
                    + " sweep", null);
        });
    }

    @Test
    void kill_9_before_the_name_record_reaches_s3_leaves_nothing_visible_after_restart() throws Exception {
        behindProxy("kill-before-record", (proxy, backend, invariants, before) -> {
            Invariants restarted = killWhileNameRecordIsHeld(proxy, backend, invariants, "never-named.bin", false);
            assertThat(restarted.listing().get("files")).isEqualTo(before.files());
            assertThat(restarted.listing().get("space").get("usedBytes").asLong()).isEqualTo(before.usedBytes());
            int orphans = backend.storedDigests().size() - before.files().size();
            assertThat(restarted.upload("never-named.bin", "a\n".getBytes()).status()).as("the name is free")
                    .isEqualTo(201);
            assertThat(restarted.delete("never-named.bin")).isEqualTo(204);
            report.passed("kill -9 while the name record is on its way to S3, then restart", "nothing listed, quota"
                    + " unchanged, name free; " + orphans + " invisible content object left for the orphan sweep",
                    null);
        });
    }

    @Test
    void kill_9_after_the_name_record_is_stored_keeps_the_file_whole_after_restart() throws Exception {
        behindProxy("kill-after-record", (proxy, backend, invariants, before) -> {
            Invariants restarted = killWhileNameRecordIsHeld(proxy, backend, invariants, "named.bin", true);
            String md5 = E2e.md5(BACKGROUND_CONTENT);
            JsonNode files = restarted.listing().get("files");
            assertThat(files).hasSize(before.files().size() + 1);
            assertThat(files.get(0).get("name").asText()).isEqualTo("named.bin");
            assertThat(files.get(0).get("sizeBytes").asLong()).isEqualTo(BACKGROUND_CONTENT.length);
            assertThat(files.get(0).get("digest").get("hash").asText()).isEqualTo(md5);
            assertThat(backend.storedDigests()).containsExactly(md5);
            assertThat(restarted.delete("named.bin")).isEqualTo(204);
            restarted.assertStorageUnchanged(before, "named.bin");
            report.passed("kill -9 after S3 stored the name record, before the answer, then restart", "the file is"
                    + " listed whole (size and MD5 as sent, bytes re-read): the record is the commit point", null);
        });
    }

    private static final byte[] BACKGROUND_CONTENT = random(300 * 1024);

    /**
     * Uploads {@code BACKGROUND_CONTENT} as {@code name}, holds its name-record write at the proxy (before S3 sees it,
     * or after S3 stored it), kills the app with {@code kill -9} right then, and starts it again.
     */
    private Invariants killWhileNameRecordIsHeld(FaultInjectingProxy proxy, Backend backend, Invariants invariants,
                                                 String name, boolean afterS3StoredIt) throws Exception {
        proxy.holdNext(FaultInjectingProxy.Request::isNameRecordWrite, afterS3StoredIt);
        CompletableFuture<RawHttp.Response> upload = CompletableFuture.supplyAsync(() -> {
            try {
                return invariants.upload(name, BACKGROUND_CONTENT);
            } catch (java.io.IOException killed) {
                return new RawHttp.Response(0, Map.of(), "");
            }
        });
        assertThat(proxy.awaitHeld(Duration.ofSeconds(30))).as("the commit reached its name record").isTrue();
        app.kill();
        proxy.release();
        assertThat(upload.get().status()).as("the client got no answer").isZero();
        app = backend.start(Map.of());
        return new Invariants(backend, app);
    }

    @Test
    void the_multipart_upload_a_killed_instance_left_open_is_aborted_after_the_instance_timeout() throws Exception {
        Backend backend = backend("kill-mid-multipart");
        Map<String, String> environment = Map.of("FILES_S3_INSTANCE_TIMEOUT_SECONDS", "2",
                "FILES_HTTP_PORT", Integer.toString(RunningApp.freePort()));
        app = backend.start(environment);
        Invariants.Baseline before = new Invariants(backend, app).warmUpAndCapture(WARM_UP_BYTES);
        Backend.S3Bucket bucket = (Backend.S3Bucket) backend;
        try (java.net.Socket half = E2e.halfUpload(app.port, Backend.AUTH, "cut-short.bin", 64 * 1024 * 1024)) {
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (bucket.s3.openMultipartUploads(bucket.bucket).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(bucket.s3.openMultipartUploads(bucket.bucket)).as("parts are going up").isNotEmpty();
            app.kill();
        }
        app = backend.start(environment);
        long restarted = System.nanoTime();

        new Invariants(backend, app).assertStorageUnchanged(before, "cut-short.bin");

        long seconds = Math.round((System.nanoTime() - restarted) / 1e9);
        report.passed("kill -9 mid-multipart upload, restart with a 2 s instance timeout", "the new instance aborted"
                + " the dead one's multipart upload within " + seconds + " s; nothing listed, name free", null);
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
