package dev.filestaging.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What must hold after every failing case, on every backend: no visible file or listing entry, nothing half-written
 * left anywhere, used quota unchanged, the name usable again, the service healthy and the next upload accepted, and
 * threads, open file descriptors and the heap kept after a full collection back to where they were.
 */
final class Invariants {
    /** Worker pools may keep a thread or two more than at the baseline; more than this is a leak. */
    static final int THREAD_SLACK = 6;
    static final int FD_SLACK = 4;
    static final long HEAP_SLACK_KIB = 4096;
    private static final Duration SETTLE = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The state to come back to. */
    record Baseline(JsonNode files, long usedBytes, int threads, int fileDescriptors, long heapKib) {}

    /** How far a check found the process from its baseline: for the report. */
    record Drift(int threads, int fileDescriptors, long heapKib) {}

    private final Backend backend;
    private final RunningApp app;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    Invariants(Backend backend, RunningApp app) {
        this.backend = backend;
        this.app = app;
    }

    /**
     * Uploads and deletes two files of {@code size} bytes first, so that pools and caches a first upload of that kind
     * starts (worker threads, connections) are part of the baseline, and then captures it.
     */
    Baseline warmUpAndCapture(int size) throws Exception {
        byte[] content = new byte[size];
        for (int i = 0; i < 2; i++) {
            String name = "warm-up-" + i + ".bin";
            RawHttp.Response response = upload(name, content);
            assertThat(response.status()).as("warm-up upload: %s", response.body()).isEqualTo(201);
            assertThat(delete(name)).isEqualTo(204);
        }
        return capture();
    }

    Baseline capture() throws Exception {
        JsonNode listing = listing();
        return new Baseline(listing.get("files"), listing.get("space").get("usedBytes").asLong(), app.threads(),
                app.openFileDescriptors(), app.heapAfterFullGcKib());
    }

    /** Asserts every invariant against {@code before}; {@code name} is the case's file name to reuse, if valid. */
    Drift assertNothingChanged(Baseline before, String name) throws Exception {
        assertStorageUnchanged(before, name);
        return awaitResourcesBack(before);
    }

    /**
     * The invariants that outlive a process: the listing, the quota, nothing left behind, the name reusable, the
     * service healthy. For checks across a restart, where threads and heap start afresh.
     */
    void assertStorageUnchanged(Baseline before, String name) throws Exception {
        awaitNoLeftovers(before.files().size());
        JsonNode listing = listing();
        assertThat(listing.get("files")).as("the listing").isEqualTo(before.files());
        assertThat(listing.get("space").get("usedBytes").asLong()).as("used quota").isEqualTo(before.usedBytes());
        assertThat(health()).as("health").isEqualTo(200);
        String reused = name == null ? "invariants-probe.csv" : name;
        byte[] content = "probe,1\n".getBytes(StandardCharsets.UTF_8);
        RawHttp.Response upload = upload(reused, content);
        assertThat(upload.status()).as("the next upload, of '%s': %s", reused, upload.body()).isEqualTo(201);
        assertThat(delete(reused)).as("deleting the probe").isEqualTo(204);
        awaitNoLeftovers(before.files().size());
    }

    void awaitNoLeftovers(int listedFiles) throws Exception {
        List<String> leftovers = backend.leftovers(app, listedFiles);
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (!leftovers.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            leftovers = backend.leftovers(app, listedFiles);
        }
        assertThat(leftovers).as("left behind on %s", backend).isEmpty();
    }

    private Drift awaitResourcesBack(Baseline before) throws Exception {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        int threads = app.threads();
        int fds = app.openFileDescriptors();
        while ((threads > before.threads() + THREAD_SLACK || fds > before.fileDescriptors() + FD_SLACK)
                && System.nanoTime() < deadline) {
            Thread.sleep(200);
            threads = app.threads();
            fds = app.openFileDescriptors();
        }
        assertThat(threads).as("threads (baseline %d)", before.threads()).isLessThanOrEqualTo(before.threads() + THREAD_SLACK);
        assertThat(fds).as("open file descriptors (baseline %d)", before.fileDescriptors())
                .isLessThanOrEqualTo(before.fileDescriptors() + FD_SLACK);
        long heap = app.heapAfterFullGcKib();
        assertThat(heap).as("heap after a full collection, KiB (baseline %d)", before.heapKib())
                .isLessThanOrEqualTo(before.heapKib() + HEAP_SLACK_KIB);
        return new Drift(threads - before.threads(), fds - before.fileDescriptors(), heap - before.heapKib());
    }

    JsonNode listing() throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request("/v1/files").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    int health() throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(app.baseUrl() + "/health")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    RawHttp.Response upload(String name, byte[] content) throws IOException {
        return RawHttp.exchange(app.port, RawHttp.upload(Backend.AUTH, RawHttp.multipartBody(name, content), ""),
                false, Duration.ofSeconds(60));
    }

    int delete(String name) throws IOException, InterruptedException {
        return http.send(request("/v1/files/" + FilesResourcePaths.segment(name)).DELETE().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(app.baseUrl() + path)).header("Authorization", "Bearer " + Backend.KEY)
                .timeout(Duration.ofSeconds(TimeUnit.MINUTES.toSeconds(2)));
    }
}
