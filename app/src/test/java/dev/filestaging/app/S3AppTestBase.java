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
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The runnable jar with {@code FILES_STORAGE=s3} and the PostgreSQL catalog it needs (a database of the JVM's
 * throwaway cluster per test) against a real S3 server over HTTP, driven by curl and Python: what every S3 deployment
 * must pass (the walk-through, the Polaris example, two instances racing on one bucket). Subclasses choose the
 * server.
 */
abstract class S3AppTestBase {

    static final String KEY = "e2e-bootstrap-key-0123456789";
    static final String AUTH = "Authorization: Bearer " + KEY;
    final S3TestServer s3 = server().server();

    /** The S3 server of the test class, started once for it. */
    abstract S3TestServerExtension server();

    @TempDir
    Path work;
    String bucket;
    /** The catalog's database, new for each test. */
    String catalogUrl;
    final List<RunningApp> apps = new ArrayList<>();

    @BeforeEach
    void newBucket() throws Exception {
        s3.start(); // a test may have stopped it
        bucket = server().newBucket("app");
        catalogUrl = dev.filestaging.adapter.postgres.PostgresServer.shared().newDatabase();
    }

    @AfterEach
    void stopApps() throws Exception {
        for (RunningApp app : apps) {
            app.close();
        }
    }

    Map<String, String> environment() {
        Map<String, String> environment = new HashMap<>(S3TestServer.credentialsEnvironment());
        environment.putAll(Map.of(
                "FILES_BOOTSTRAP_API_KEY", KEY,
                "FILES_STORAGE", "s3",
                "FILES_S3_BUCKET", bucket,
                "FILES_S3_PREFIX", "staging",
                "FILES_S3_ENDPOINT", s3.endpoint().toString(),
                "FILES_S3_REQUEST_TIMEOUT_SECONDS", "3",
                "FILES_CATALOG", "postgres",
                "FILES_CATALOG_URL", catalogUrl,
                "FILES_CATALOG_USER", dev.filestaging.adapter.postgres.PostgresServer.USER));
        return environment;
    }

    RunningApp startApp(String maxHeap) throws Exception {
        RunningApp app = RunningApp.start(work.resolve("instance-" + apps.size()), environment(), maxHeap);
        apps.add(app);
        return app;
    }

    static String files(RunningApp app) {
        return app.baseUrl() + "/v1/files";
    }

    /** Waits until the upload in progress has started a multipart upload, so parts are going up as it arrives. */
    void awaitMultipartUpload() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (s3.openMultipartUploads(bucket).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(s3.openMultipartUploads(bucket)).as("parts were going up").isNotEmpty();
    }

    /** The finished blobs: the bytes of staged files (an open upload's blob is a multipart upload until it ends). */
    List<S3Object> contentObjects() {
        return s3.objects(bucket, "staging/blobs/");
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

}
