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

/**
 * What must hold after every failing case, on every backend: no visible file or listing entry, nothing half-written
 * left anywhere, used quota unchanged, the name usable again, the service healthy and the next upload accepted, and
 * threads, open file descriptors and the heap kept after a full collection back to where they were.
 */
final class Invariants {
    /**
     * Pools grow and shrink (Grizzly workers, G1 and JIT compiler threads come and go): up to this many more threads
     * than at the baseline is noise; a leak of one thread per case shows within a suite.
     */
    static final int THREAD_SLACK = 8;
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
        return warmUpAndCapture(size, 1);
    }

    /** As {@link #warmUpAndCapture(int)}, with {@code clients} uploading at once, for the pools that load grows. */
    Baseline warmUpAndCapture(int size, int clients) throws Exception {
        byte[] content = new byte[size];
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(clients);
        try {
            for (int round = 0; round < 2; round++) {
                List<java.util.concurrent.Future<Void>> uploads = new java.util.ArrayList<>();
                for (int client = 0; client < clients; client++) {
                    String name = "warm-up-" + round + "-" + client + ".bin";
                    uploads.add(pool.submit(() -> {
                        RawHttp.Response response = upload(name, content);
                        assertThat(response.status()).as("warm-up upload: %s", response.body()).isEqualTo(201);
                        assertThat(delete(name)).isEqualTo(204);
                        return null;
                    }));
                }
                for (java.util.concurrent.Future<Void> upload : uploads) {
                    upload.get();
                }
            }
        } finally {
            pool.shutdown();
        }
        return capture();
    }

    Baseline capture() throws Exception {
        JsonNode listing = listing();
        return new Baseline(listing.get("files"), listing.get("space").get("usedBytes").asLong(), app.threads(),
                app.openFileDescriptorsBut(backend.storagePort()), app.heapAfterFullGcKib());
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

    /** Threads, open file descriptors and the heap after a full collection are back within slack of {@code before}. */
    Drift awaitResourcesBack(Baseline before) throws Exception {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        int threads = app.threads();
        int fds = app.openFileDescriptorsBut(backend.storagePort());
        while ((threads > before.threads() + THREAD_SLACK || fds > before.fileDescriptors() + FD_SLACK)
                && System.nanoTime() < deadline) {
            Thread.sleep(200);
            threads = app.threads();
            fds = app.openFileDescriptorsBut(backend.storagePort());
        }
        if (threads > before.threads() + THREAD_SLACK) {
            assertThat(threads).as("threads (baseline %d); now: %s", before.threads(), app.threadNames())
                    .isLessThanOrEqualTo(before.threads() + THREAD_SLACK);
        }
        assertThat(fds).as("open file descriptors (baseline %d); now: %s", before.fileDescriptors(),
                        app.fileDescriptorTargets())
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
                .timeout(Duration.ofMinutes(2));
    }
}
