package dev.filestaging.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Load and races on one backend: eight clients of mixed uploads, deletes and listings followed by a full audit; many
 * uploads of one name at once; many uploads that together exceed the quota.
 */
abstract class LoadSuite extends AppPerTestSuite {
    private static final long KIB = 1024;
    /** Mostly small files, some of a few parts on S3: about 0.5 MiB on average. */
    static final long[] MIXED_SIZES = {
            KIB, KIB, KIB, KIB, 8 * KIB, 8 * KIB, 8 * KIB, 8 * KIB, 64 * KIB, 64 * KIB, 64 * KIB, 64 * KIB,
            256 * KIB, 256 * KIB, 256 * KIB, 256 * KIB, 1024 * KIB, 1024 * KIB, 1024 * KIB, 6 * 1024 * KIB};
    static final int CLIENTS = 8;
    static final int UPLOADS_PER_CLIENT = 120;

    /** How many uploads each client sends at most; a backend slower per upload may send fewer. */
    int uploadsPerClient() {
        return UPLOADS_PER_CLIENT;
    }
    static final Duration BOUND = Duration.ofSeconds(120);

    private Backend backend;

    LoadSuite(String backend) {
        super("load", backend);
    }

    @Test
    void eight_clients_of_mixed_uploads_deletes_and_listings_lose_nothing_and_every_byte_adds_up() throws Exception {
        backend = backend("churn");
        // idle keep-alive connections of the finished clients are closed within the settle time, so the descriptors
        // counted afterwards are leaks, not sockets waiting out the default 30 s keep-alive
        app = backend.start(Map.of("FILES_HTTP_IDLE_TIMEOUT_SECONDS", "5"));
        Invariants invariants = new Invariants(backend, app);
        Invariants.Baseline before = invariants.warmUpAndCapture(6 * 1024 * 1024, CLIENTS);
        java.util.Map<String, Long> baselineThreads = app.threadNames();
        Churn churn = new Churn(app.port, CLIENTS, uploadsPerClient(), MIXED_SIZES, 0.15);
        long started = System.nanoTime();

        Churn.Counts counts = churn.run(BOUND);

        double seconds = (System.nanoTime() - started) / 1e9;
        assertThat(counts.noAnswer()).as("requests without an answer").isZero();
        assertThat(churn.statuses.keySet()).as("statuses of uploads").containsOnly(201);
        Audit.Figures audit = Audit.check(backend, app, churn, false);
        assertThat(audit.inFlightFound()).isZero();
        Invariants.Drift drift = invariants.awaitResourcesBack(before);
        report.note("threads by name at the baseline: " + baselineThreads);
        report.note("threads by name after the load run: " + app.threadNames());
        report.passed(CLIENTS + " clients × up to " + uploadsPerClient() + " uploads, bounded at " + BOUND.toSeconds() + " s",
                counts.uploads() + " uploads (" + counts.created() + " × 201), " + counts.deletes() + " deletes, "
                        + counts.listings() + " listings in " + Math.round(seconds) + " s; audit: " + audit.filesListed()
                        + " files (" + audit.bytesListed() / (1024 * 1024) + " MiB) re-read and matched, "
                        + audit.deletesChecked() + " deletes gone, bytes lost 0", drift);
    }

    @Test
    void of_many_uploads_of_one_name_at_once_exactly_one_wins_and_its_bytes_are_stored() throws Exception {
        backend = backend("same-name");
        app = backend.start(Map.of());
        int racers = 8;
        List<byte[]> contents = new ArrayList<>();
        for (int i = 0; i < racers; i++) {
            byte[] content = new byte[2 * 1024 * 1024 + i];
            new Random(i).nextBytes(content);
            contents.add(content);
        }
        List<RawHttp.Response> responses = race(racers, i -> new Invariants(backend, app).upload("contested.bin",
                contents.get(i)));

        List<Integer> statuses = responses.stream().map(RawHttp.Response::status).toList();
        assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
        assertThat(statuses).filteredOn(s -> s == 409).hasSize(racers - 1);
        int winner = statuses.indexOf(201);
        JsonNode listing = new Invariants(backend, app).listing();
        assertThat(listing.get("files")).hasSize(1);
        assertThat(listing.get("files").get(0).get("sizeBytes").asLong()).isEqualTo(contents.get(winner).length);
        String md5 = E2e.md5(contents.get(winner));
        assertThat(listing.get("files").get(0).get("digest").get("hash").asText()).isEqualTo(md5);
        assertThat(backend.storedDigests()).containsExactly(md5);
        new Invariants(backend, app).awaitNoLeftovers(1);
        report.passed(racers + " uploads of one name at once", "1 × 201, " + (racers - 1)
                + " × 409; the winner's bytes stored, nothing else", null);
    }

    @Test
    void uploads_that_together_exceed_the_quota_never_commit_more_than_it() throws Exception {
        long quota = 10L * 1024 * 1024;
        backend = backend("quota");
        app = backend.start(Map.of("FILES_QUOTA_BYTES", Long.toString(quota)));
        int racers = 8;
        byte[] content = new byte[2 * 1024 * 1024];
        new Random(1).nextBytes(content);

        List<RawHttp.Response> responses = race(racers, i -> new Invariants(backend, app).upload("share-" + i + ".bin",
                content));

        long created = responses.stream().filter(r -> r.status() == 201).count();
        assertThat(responses).allMatch(r -> r.status() == 201 || r.status() == 413);
        assertThat(created * content.length).isLessThanOrEqualTo(quota);
        assertThat(created).as("what fits is accepted").isEqualTo(quota / content.length);
        JsonNode listing = new Invariants(backend, app).listing();
        assertThat(listing.get("space").get("usedBytes").asLong()).isEqualTo(created * content.length);
        assertThat(backend.storedDigests()).hasSize((int) created);
        new Invariants(backend, app).awaitNoLeftovers((int) created);
        report.passed(racers + " uploads of 2 MiB at once into a 10 MiB quota", created + " × 201, "
                + (racers - created) + " × 413 quota_exceeded; used " + listing.get("space").get("usedBytes").asLong()
                + " bytes ≤ quota", null);
    }

    @Test
    void clients_patching_one_resumable_upload_at_once_never_corrupt_it() throws Exception {
        backend = backend("tus-race");
        app = backend.start(Map.of());
        byte[] content = new byte[12 * 1024 * 1024];
        new Random(11).nextBytes(content);
        Tus tus = new Tus(app.port);
        String upload = tus.create("contested-tus.bin", content.length);
        int racers = 4;
        int chunk = 3 * 1024 * 1024;
        java.util.Map<Integer, Integer> statuses = new java.util.TreeMap<>();
        int rounds = 0;
        // every round, each racer asks where the upload stands and sends the next chunk from there, all at once
        for (long offset = 0; offset < content.length && rounds < 40; offset = tus.offset(upload), rounds++) {
            long from = offset;
            List<RawHttp.Response> responses = race(racers, i -> tus.patch(upload, from, content, (int) from,
                    (int) Math.min(content.length, from + chunk)));
            responses.forEach(r -> statuses.merge(r.status(), 1, Integer::sum));
            assertThat(responses).as("one append wins each round").filteredOn(r -> r.status() == 204).hasSize(1);
            assertThat(responses).allMatch(r -> r.status() == 204 || r.status() == 409 || r.status() == 423);
        }
        String md5 = E2e.md5(content);
        JsonNode listing = new Invariants(backend, app).listing();
        assertThat(listing.get("files")).hasSize(1);
        assertThat(listing.get("files").get(0).get("digest").get("hash").asText()).isEqualTo(md5);
        assertThat(backend.storedDigests()).containsExactly(md5);
        new Invariants(backend, app).awaitNoLeftovers(1);
        report.passed(racers + " clients PATCHing one 12 MiB tus upload at once, " + rounds + " rounds",
                "statuses " + statuses + " (one 204 a round; the others 423 upload_locked or 409 offset_mismatch);"
                        + " the staged file's MD5 is the source's", null);
    }

    interface Upload {
        RawHttp.Response send(int racer) throws Exception;
    }

    private static List<RawHttp.Response> race(int racers, Upload upload) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        try {
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            List<Future<RawHttp.Response>> futures = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                int racer = i;
                futures.add(pool.submit((Callable<RawHttp.Response>) () -> {
                    start.await();
                    return upload.send(racer);
                }));
            }
            start.countDown();
            List<RawHttp.Response> responses = new ArrayList<>();
            for (Future<RawHttp.Response> future : futures) {
                responses.add(future.get());
            }
            return responses;
        } finally {
            pool.shutdownNow();
        }
    }
}
