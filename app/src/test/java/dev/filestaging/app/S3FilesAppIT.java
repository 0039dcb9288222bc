package dev.filestaging.app;

import static dev.filestaging.app.E2e.body;
import static dev.filestaging.app.E2e.curl;
import static dev.filestaging.app.E2e.md5;
import static dev.filestaging.app.E2e.pythonWithRequests;
import static dev.filestaging.app.E2e.randomFile;
import static dev.filestaging.app.E2e.run;
import static dev.filestaging.app.E2e.status;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.filestaging.adapter.s3.testing.S3TestServer;
import dev.filestaging.adapter.s3.testing.S3TestServerExtension;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The runnable jar with {@code FILES_STORAGE=s3} against a real S3 server (S3Proxy, over HTTP, checking signatures),
 * driven by curl and Python: the same API, several instances on one bucket, outages.
 */
class S3FilesAppIT {

    private static final String KEY = "e2e-bootstrap-key-0123456789";
    private static final String AUTH = "Authorization: Bearer " + KEY;
    @RegisterExtension
    static final S3TestServerExtension S3 = new S3TestServerExtension();
    private final S3TestServer s3 = S3.server();

    @TempDir
    Path work;
    private String bucket;
    private final List<RunningApp> apps = new ArrayList<>();

    @BeforeEach
    void newBucket() throws Exception {
        s3.start(); // a test may have stopped it
        bucket = S3.newBucket("app");
    }

    @AfterEach
    void stopApps() throws Exception {
        for (RunningApp app : apps) {
            app.close();
        }
    }

    private Map<String, String> environment() {
        Map<String, String> environment = new HashMap<>(S3TestServer.credentialsEnvironment());
        environment.putAll(Map.of(
                "FILES_BOOTSTRAP_API_KEY", KEY,
                "FILES_STORAGE", "s3",
                "FILES_S3_BUCKET", bucket,
                "FILES_S3_PREFIX", "staging",
                "FILES_S3_ENDPOINT", s3.endpoint().toString(),
                "FILES_S3_REQUEST_TIMEOUT_SECONDS", "3"));
        return environment;
    }

    private RunningApp startApp(String maxHeap) throws Exception {
        RunningApp app = RunningApp.start(work.resolve("instance-" + apps.size()), environment(), maxHeap);
        apps.add(app);
        return app;
    }

    private static String files(RunningApp app) {
        return app.baseUrl() + "/v1/files";
    }

    /** Waits until the upload in progress has started a multipart upload, so parts are going up as it arrives. */
    private void awaitMultipartUpload() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (s3.openMultipartUploads(bucket).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(s3.openMultipartUploads(bucket)).as("parts were going up").isNotEmpty();
    }

    private List<S3Object> contentObjects() {
        return s3.objects(bucket, "staging/areas/").stream().filter(o -> o.key().contains("/content/")).toList();
    }

    @Test
    void the_curl_walkthrough_and_the_polaris_python_example_run_unchanged_on_s3() throws Exception {
        RunningApp app = startApp("64m");
        Path file = randomFile(work.resolve("events.csv"), 300_000);

        E2e.Result upload = curl("-H", AUTH, "-F", "file=@" + file, files(app));
        assertThat(status(upload)).as(upload.output()).isEqualTo(201);
        assertThat(body(upload).get("digest").get("hash").asText()).isEqualTo(md5(file));
        assertThat(body(curl(files(app) + "/events.csv", "-H", AUTH))).isEqualTo(body(upload));
        assertThat(body(curl(files(app), "-H", AUTH)).get("space").get("usedBytes").asLong()).isEqualTo(300_000);
        assertThat(status(curl("-H", AUTH, "-F", "file=@" + file, files(app)))).isEqualTo(409);
        assertThat(status(curl("-X", "DELETE", files(app) + "/events.csv", "-H", AUTH))).isEqualTo(204);
        assertThat(status(curl("-X", "DELETE", files(app) + "/events.csv", "-H", AUTH))).isEqualTo(404);
        assertThat(contentObjects()).isEmpty();

        E2e.Result python = run(List.of(pythonWithRequests(),
                        Path.of("src/test/resources/e2e/polaris_upload_example.py").toAbsolutePath().toString(),
                        randomFile(work.resolve("events.json"), 3 * 1024 * 1024 + 5).toString()),
                Map.of("FILES_ENDPOINT", files(app), "FILES_API_KEY", KEY));
        assertThat(python.output()).contains("EXAMPLE OK");
    }

    @Test
    void a_one_gib_upload_streams_to_s3_through_a_small_heap_with_no_local_copy() throws Exception {
        long size = 1L << 30;
        RunningApp app = startApp("64m");
        Path big = randomFile(work.resolve("big.bin"), size);
        long writtenBefore = app.writeBytes();
        long started = System.nanoTime();

        E2e.Result upload = curl("-H", AUTH, "-F", "file=@" + big, files(app));

        double seconds = (System.nanoTime() - started) / 1e9;
        assertThat(status(upload)).as(upload.output()).isEqualTo(201);
        assertThat(body(upload).get("digest").get("hash").asText()).isEqualTo(md5(big));
        long written = app.writeBytes() - writtenBefore;
        System.out.printf("1 GiB upload to S3: %.1f s (%.0f MB/s), bytes the app wrote to disk %d, peak RSS %d MiB"
                + " (-Xmx64m)%n", seconds, size / seconds / 1e6, written, app.peakResidentKib() / 1024);
        assertThat(written).as("no temp copy on the app's disk").isLessThan(1 << 20);
        assertThat(s3.openMultipartUploads(bucket)).isEmpty();
        List<S3Object> content = contentObjects();
        assertThat(content).hasSize(1);
        assertThat(content.get(0).size()).isEqualTo(size);
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        try (InputStream stored = s3.client().getObject(b -> b.bucket(bucket).key(content.get(0).key()))) {
            byte[] buffer = new byte[1 << 20];
            for (int n; (n = stored.read(buffer)) > 0; ) {
                md5.update(buffer, 0, n);
            }
        }
        assertThat(HexFormat.of().withUpperCase().formatHex(md5.digest())).isEqualTo(md5(big));
        Files.delete(big);
    }

    @Test
    void a_client_that_disconnects_half_way_leaves_no_multipart_upload_no_content_and_a_free_name() throws Exception {
        RunningApp app = startApp("64m");
        try (Socket socket = E2e.halfUpload(app.port, AUTH, "half.bin", 64 * 1024 * 1024)) {
            awaitMultipartUpload(); // parts are going up while the client is still sending
        }

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while ((!s3.openMultipartUploads(bucket).isEmpty() || !contentObjects().isEmpty())
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(s3.openMultipartUploads(bucket)).isEmpty();
        assertThat(contentObjects()).isEmpty();
        JsonNode listing = body(curl(files(app), "-H", AUTH));
        assertThat(listing.get("files")).isEmpty();
        assertThat(listing.get("space").get("usedBytes").asLong()).isZero();
        Path small = randomFile(work.resolve("half.bin"), 1000);
        assertThat(status(curl("-H", AUTH, "-F", "file=@" + small, files(app)))).isEqualTo(201);
    }

    @Test
    void an_app_killed_mid_upload_leaves_nothing_visible_and_the_name_free_after_restart() throws Exception {
        RunningApp app = startApp("64m");
        try (Socket socket = E2e.halfUpload(app.port, AUTH, "killed.bin", 64 * 1024 * 1024)) {
            awaitMultipartUpload();
            app.kill();
        }

        RunningApp restarted = startApp("64m");

        JsonNode listing = body(curl(files(restarted), "-H", AUTH));
        assertThat(listing.get("files")).isEmpty();
        assertThat(listing.get("space").get("usedBytes").asLong()).isZero();
        assertThat(status(curl(files(restarted) + "/killed.bin", "-H", AUTH))).isEqualTo(404);
        Path retry = randomFile(work.resolve("killed.bin"), 3000);
        assertThat(status(curl("-H", AUTH, "-F", "file=@" + retry, files(restarted)))).isEqualTo(201);
        // What the killed process left is invisible. The multipart upload is aborted once the dead instance's
        // heartbeat has been still for FILES_S3_INSTANCE_TIMEOUT_SECONDS (default 60 s; StorageFaultsS3IT waits for
        // it with 2 s); the content object waits for the orphan sweep.
        assertThat(s3.openMultipartUploads(bucket)).hasSize(1);
        assertThat(contentObjects()).hasSize(1);
    }

    @Test
    void two_instances_sharing_a_bucket_race_for_one_name_and_agree_on_every_listing() throws Exception {
        List<RunningApp> instances = List.of(startApp("64m"), startApp("64m"));
        int clients = 8;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<E2e.Result>> results = new ArrayList<>();
        List<Path> contents = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            Path content = randomFile(Files.createDirectories(work.resolve("client" + i)).resolve("same.bin"),
                    1024 * 1024 + i);
            contents.add(content);
            RunningApp instance = instances.get(i % 2);
            results.add(pool.submit((Callable<E2e.Result>) () -> curl("-H", AUTH, "-F", "file=@" + content,
                    files(instance))));
        }
        List<JsonNode> winners = new ArrayList<>();
        for (Future<E2e.Result> result : results) {
            int status = status(result.get());
            assertThat(status).as(result.get().output()).isIn(201, 409);
            if (status == 201) {
                winners.add(body(result.get()));
            }
        }
        pool.shutdown();
        assertThat(winners).hasSize(1);
        int winner = (int) (winners.get(0).get("sizeBytes").asLong() - 1024 * 1024);
        assertThat(winners.get(0).get("digest").get("hash").asText()).isEqualTo(md5(contents.get(winner)));

        Path other = randomFile(work.resolve("other.csv"), 2000);
        assertThat(status(curl("-H", AUTH, "-F", "file=@" + other, files(instances.get(1))))).isEqualTo(201);
        JsonNode first = body(curl(files(instances.get(0)), "-H", AUTH));
        JsonNode second = body(curl(files(instances.get(1)), "-H", AUTH));
        assertThat(first).isEqualTo(second);
        assertThat(first.get("files")).hasSize(2);

        assertThat(status(curl("-X", "DELETE", files(instances.get(0)) + "/other.csv", "-H", AUTH))).isEqualTo(204);
        assertThat(status(curl(files(instances.get(1)) + "/other.csv", "-H", AUTH))).isEqualTo(404);
        assertThat(body(curl(files(instances.get(1)), "-H", AUTH)).get("files")).hasSize(1);
        assertThat(contentObjects()).hasSize(1);
    }

    @Test
    void when_s3_stops_the_app_answers_503_with_retry_after_and_recovers_by_itself() throws Exception {
        RunningApp app = startApp("64m");
        Path file = randomFile(work.resolve("during.csv"), 5000);
        s3.stop();

        long started = System.nanoTime();
        E2e.Result list = curl("-D", "-", files(app), "-H", AUTH);
        E2e.Result upload = curl("-D", "-", "-H", AUTH, "-F", "file=@" + file, files(app));
        double seconds = (System.nanoTime() - started) / 1e9;

        assertThat(status(list)).isEqualTo(503);
        assertThat(status(upload)).isEqualTo(503);
        assertThat(list.output()).containsIgnoringCase("Retry-After:").contains("\"code\"");
        assertThat(seconds).as("both answered within the configured timeout").isLessThan(20);

        s3.start();

        assertThat(status(curl(files(app), "-H", AUTH))).isEqualTo(200);
        assertThat(status(curl("-H", AUTH, "-F", "file=@" + file, files(app)))).isEqualTo(201);
        assertThat(contentObjects()).hasSize(1);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!s3.openMultipartUploads(bucket).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(s3.openMultipartUploads(bucket)).isEmpty();
    }

    @Test
    void a_bucket_that_does_not_exist_stops_start_up_with_a_clear_message() throws Exception {
        Map<String, String> environment = new HashMap<>(environment());
        environment.put("FILES_S3_BUCKET", "no-such-bucket");
        RunningApp broken = RunningApp.launch(work.resolve("broken"), environment);
        apps.add(broken);

        assertThat(broken.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(broken.process.exitValue()).isEqualTo(1);
        assertThat(broken.output()).contains("bucket 'no-such-bucket'").contains("does not exist");
    }
}
