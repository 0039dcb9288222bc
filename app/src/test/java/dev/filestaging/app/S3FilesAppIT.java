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
 * The runnable jar on S3Proxy (over HTTP, checking signatures) with a PostgreSQL catalog: besides what
 * {@link S3AppTestBase} runs on every store, a 256 MiB upload in a 64 MiB heap, disconnecting clients, a killed
 * instance, outages and a missing bucket.
 */
class S3FilesAppIT extends S3AppTestBase {

    @RegisterExtension
    static final S3TestServerExtension S3 = new S3TestServerExtension();

    @Override
    S3TestServerExtension server() {
        return S3;
    }

    @Test
    void a_256_mib_upload_streams_to_s3_through_a_heap_4_times_smaller_with_no_local_copy() throws Exception {
        long size = 256L << 20; // 4 times the heap: a copy in memory is impossible, and the build stays short
        RunningApp app = startApp("64m");
        Path big = randomFile(work.resolve("big.bin"), size);
        long writtenBefore = app.writeBytes();
        long started = System.nanoTime();

        E2e.Result upload = curl("-H", AUTH, "-F", "file=@" + big, files(app));

        double seconds = (System.nanoTime() - started) / 1e9;
        assertThat(status(upload)).as(upload.output()).isEqualTo(201);
        assertThat(body(upload).get("digest").get("hash").asText()).isEqualTo(md5(big));
        long written = app.writeBytes() - writtenBefore;
        System.out.printf("256 MiB upload to S3: %.1f s (%.0f MB/s), bytes the app wrote to disk %d, peak RSS %d MiB"
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
        // What the killed process left is invisible: its blob, still a multipart upload, is no catalog's and waits
        // for the orphan sweep; the retry's blob is the one finished object.
        assertThat(s3.openMultipartUploads(bucket)).hasSize(1);
        assertThat(contentObjects()).hasSize(1);
    }

    @Test
    void when_s3_stops_uploads_and_reads_answer_503_with_retry_after_listings_go_on_and_it_recovers_by_itself()
            throws Exception {
        RunningApp app = startApp("64m");
        Path file = randomFile(work.resolve("during.csv"), 5000);
        assertThat(status(curl("-H", AUTH, "-F", "file=@" + file, files(app) + "?dataFormat=csv"))).isEqualTo(201);
        s3.stop();

        long started = System.nanoTime();
        E2e.Result list = curl("-D", "-", files(app), "-H", AUTH);
        E2e.Result upload = curl("-D", "-", "-H", AUTH, "-F", "file=@" + file + ";filename=other.csv", files(app));
        E2e.Result read = curl("-D", "-", files(app) + "/during.csv/content", "-H", AUTH);
        double seconds = (System.nanoTime() - started) / 1e9;

        assertThat(status(list)).as("names are the catalog's, which still answers").isEqualTo(200);
        assertThat(status(upload)).isEqualTo(503);
        assertThat(status(read)).isEqualTo(503);
        assertThat(upload.output()).containsIgnoringCase("Retry-After:").contains("\"code\"");
        assertThat(seconds).as("all answered within the configured timeout").isLessThan(30);

        s3.start();

        assertThat(status(curl(files(app), "-H", AUTH))).isEqualTo(200);
        assertThat(status(curl("-H", AUTH, "-F", "file=@" + file + ";filename=other.csv", files(app))))
                .isEqualTo(201);
        assertThat(contentObjects()).hasSize(2);
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
