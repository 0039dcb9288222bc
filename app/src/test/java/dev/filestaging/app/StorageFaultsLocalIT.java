package dev.filestaging.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Local-disk faults on the running app: a file system that fills up mid-write (a real 24 MiB tmpfs, mounted by the
 * test, so CI runs as root), fsync failing and fsync hanging until the server is killed (an LD_PRELOAD shim built by
 * the test with cc), and {@code kill -9} under load.
 */
class StorageFaultsLocalIT extends StorageFaultsSuite {
    StorageFaultsLocalIT() {
        super("local");
    }

    @TempDir
    static Path work;

    @Override
    Backend backend(String label) {
        return new Backend.LocalDisk(work.resolve(label));
    }

    @Override
    boolean crashLeavesInvisibleLeftovers() {
        return false;
    }

    @Test
    void a_disk_that_fills_up_mid_write_answers_507_and_leaves_nothing() throws Exception {
        Path small = mountSmallDisk("small-disk");
        try {
            Backend backend = new Backend.LocalDisk(small);
            app = backend.start(Map.of());
            Invariants invariants = new Invariants(backend, app);
            Invariants.Baseline before = invariants.warmUpAndCapture(4 * 1024 * 1024);
            byte[] tooBig = new byte[32 * 1024 * 1024];
            new Random(3).nextBytes(tooBig);

            RawHttp.Response response = invariants.upload("too-big.bin", tooBig);

            assertThat(response.status()).as(response.body()).isEqualTo(507);
            assertThat(JSON.readTree(response.body()).get("code").asText()).isEqualTo("storage_full");
            Invariants.Drift drift = invariants.assertNothingChanged(before, "too-big.bin");
            report.passed("disk full mid-write (32 MiB upload into a 24 MiB tmpfs)", "507 storage_full", drift);
        } finally {
            stopApp();
            E2e.run(List.of("umount", "-l", small.toString()), Map.of());
        }
    }

    @Test
    void a_tus_patch_that_fills_the_disk_keeps_none_of_its_bytes_and_frees_the_space_at_once() throws Exception {
        Path small = mountSmallDisk("small-disk-tus");
        try {
            Backend backend = new Backend.LocalDisk(small);
            app = backend.start(Map.of());
            Invariants invariants = new Invariants(backend, app);
            Invariants.Baseline before = invariants.warmUpAndCapture(4 * 1024 * 1024);
            byte[] tooBig = new byte[32 * 1024 * 1024];
            new Random(11).nextBytes(tooBig);
            Tus tus = new Tus(app.port);
            String upload = tus.create("too-big.bin", tooBig.length);
            tus.patch(upload, 0, tooBig, 0, 1_000_000);

            RawHttp.Response response = tus.patch(upload, 1_000_000, tooBig, 1_000_000, tooBig.length);

            assertThat(response.status()).as(response.body()).isEqualTo(507);
            assertThat(tus.offset(upload)).as("the acknowledged bytes stay, nothing more").isEqualTo(1_000_000);
            Path content = ((Backend.LocalDisk) backend).unfinishedBlobs().stream().findFirst().orElseThrow();
            assertThat(Files.size(content)).as("unacknowledged bytes are cut back at once").isEqualTo(1_000_000);
            java.nio.file.FileStore disk = Files.getFileStore(small);
            assertThat(disk.getUsableSpace()).as("the disk is not left full for everyone")
                    .isGreaterThan(8L * 1024 * 1024);
            assertThat(invariants.upload("after.bin", new byte[4 * 1024 * 1024]).status()).isEqualTo(201);
            assertThat(tus.terminate(upload).status()).isEqualTo(204);
            assertThat(invariants.delete("after.bin")).isEqualTo(204);
            Invariants.Drift drift = invariants.assertNothingChanged(before, "too-big.bin");
            report.passed("disk full mid-PATCH (31 MiB tus PATCH into a 24 MiB tmpfs)", "507 storage_full, offset"
                    + " stays at the 1,000,000 acknowledged, the rest cut back at once", drift);
        } finally {
            stopApp();
            E2e.run(List.of("umount", "-l", small.toString()), Map.of());
        }
    }

    /**
     * Found by the hostile tester of issue 25: a disk filled by uploads answered 500 to everything that writes the
     * catalog, deletes included, so space could not be freed through the API (SQLite had no room for its WAL). Uploads
     * now stop at a headroom, and a catalog write that fails on a full disk is 507.
     */
    @Test
    void a_disk_filled_by_uploads_still_takes_deletes_and_then_uploads_again() throws Exception {
        Path small = mountSmallDisk("small-disk-fill");
        try {
            Backend backend = new Backend.LocalDisk(small);
            app = backend.start(Map.of());
            Invariants invariants = new Invariants(backend, app);
            byte[] chunk = new byte[3 * 1024 * 1024];
            new Random(17).nextBytes(chunk);
            int stored = 0;
            RawHttp.Response refused = null;
            for (int i = 0; i < 20 && refused == null; i++) {
                RawHttp.Response response = invariants.upload("fill-" + i + ".bin", chunk);
                if (response.status() == 201) {
                    stored++;
                } else {
                    refused = response;
                }
            }
            assertThat(refused).as("the disk filled up").isNotNull();
            assertThat(refused.status()).as(refused.body()).isEqualTo(507);
            assertThat(JSON.readTree(refused.body()).get("code").asText()).isEqualTo("storage_full");
            RawHttp.Response small1 = invariants.upload("small.csv", "a,b\n".getBytes());
            assertThat(small1.status()).as("a small upload on the full disk: " + small1.body()).isIn(201, 507);
            for (int i = 0; i < stored; i++) {
                assertThat(invariants.delete("fill-" + i + ".bin")).as("delete fill-%d", i).isEqualTo(204);
            }
            assertThat(invariants.upload("after.bin", chunk).status()).isEqualTo(201);
            report.passed("disk filled by 3 MiB uploads (24 MiB tmpfs)", "507 storage_full, then every delete 204"
                    + " and the next upload 201", null);
        } finally {
            stopApp();
            E2e.run(List.of("umount", "-l", small.toString()), Map.of());
        }
    }

    /** A real 24 MiB tmpfs under the work directory; unmount it with {@code umount -l} when done. */
    private static Path mountSmallDisk(String name) throws Exception {
        Path small = Files.createDirectories(work.resolve(name));
        E2e.Result mount = E2e.run(List.of("mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", small.toString()), Map.of());
        assertThat(mount.exitCode()).as("mounting a 24 MiB tmpfs needs root (CI runs as root): " + mount.output()).isZero();
        return small;
    }

    @Test
    void a_failing_fsync_is_never_reported_as_success() throws Exception {
        Backend backend = backend("fsync-fails");
        Path fault = work.resolve("fsync-fault");
        app = backend.start(Map.of("LD_PRELOAD", FsyncFault.library(work).toString(), "FAULT_FSYNC_FILE", fault.toString()));
        Invariants invariants = new Invariants(backend, app);
        Invariants.Baseline before = invariants.warmUpAndCapture(WARM_UP_BYTES);
        Files.writeString(fault, "fail");

        RawHttp.Response response = invariants.upload("unsynced.csv", "a,b\n".getBytes());

        Files.delete(fault);
        assertThat(response.status()).as(response.body()).isEqualTo(500);
        assertThat(JSON.readTree(response.body()).get("code").asText()).isEqualTo("internal_error");
        // the operator gets the route and the whole stack trace at ERROR, never the credentials
        assertThat(app.output()).contains("request failed: POST /v1/files").contains("Input/output error")
                .contains("\tat ").doesNotContain(Backend.KEY);
        Invariants.Drift drift = invariants.assertNothingChanged(before, "unsynced.csv");
        report.passed("fsync fails with EIO during the commit", "500 internal_error, nothing stored; the log names the"
                + " request and has the stack trace", drift);
    }

    @Test
    void kill_9_mid_commit_then_restart_leaves_nothing_partial_and_the_name_free() throws Exception {
        Backend backend = backend("kill-mid-commit");
        Path fault = work.resolve("fsync-stall");
        Map<String, String> environment = Map.of("LD_PRELOAD", FsyncFault.library(work).toString(),
                "FAULT_FSYNC_FILE", fault.toString(), "FILES_HTTP_PORT", Integer.toString(RunningApp.freePort()));
        app = backend.start(environment);
        Invariants before = new Invariants(backend, app);
        Invariants.Baseline baseline = before.warmUpAndCapture(WARM_UP_BYTES);
        Files.writeString(fault, "stall");
        byte[] content = new byte[3 * 1024 * 1024];
        new Random(5).nextBytes(content);

        CompletableFuture<RawHttp.Response> upload = CompletableFuture.supplyAsync(() -> {
            try {
                return before.upload("mid-commit.bin", content);
            } catch (java.io.IOException gone) {
                return new RawHttp.Response(0, Map.of(), "");
            }
        });
        awaitWholeContentInTmp(backend, content.length);
        Thread.sleep(300); // the commit's first fsync is now stalled
        app.kill();
        Files.delete(fault);
        assertThat(upload.get().status()).as("the client got no answer").isZero();

        app = backend.start(environment);
        new Invariants(backend, app).assertStorageUnchanged(baseline, "mid-commit.bin");
        report.passed("kill -9 while the commit's fsync hangs, then restart", "no answer; after restart nothing"
                + " listed, temp swept, quota unchanged, name free", null);
    }

    /** Waits for an upload's whole content in its unfinished blob ({@code blobs/*.part}). */
    private static void awaitWholeContentInTmp(Backend backend, long size) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            try (Stream<Path> pending = ((Backend.LocalDisk) backend).unfinishedBlobs().stream()) {
                if (pending.anyMatch(c -> {
                    try {
                        return Files.exists(c) && Files.size(c) == size;
                    } catch (java.io.IOException vanished) {
                        return false;
                    }
                })) {
                    return;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the upload never reached its commit");
    }
}
