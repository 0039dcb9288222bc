package dev.filestaging.app;

import static dev.filestaging.app.E2e.body;
import static dev.filestaging.app.E2e.curl;
import static dev.filestaging.app.E2e.md5;
import static dev.filestaging.app.E2e.randomFile;
import static dev.filestaging.app.E2e.status;
import static org.assertj.core.api.Assertions.assertThat;

import dev.filestaging.adapter.postgres.PostgresServer;
import dev.filestaging.adapter.s3.testing.S3TestServer;
import dev.filestaging.adapter.s3.testing.S3TestServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The multi-instance deployment: the runnable jar with a PostgreSQL catalog (a real server of its own, started by
 * the test) and blobs on Ceph's RADOS Gateway 16, two instances sharing both. Besides what every S3 deployment passes
 * (the walk-through, the Polaris Python example, the name race, equal listings): the delete race, a tus upload
 * continued on the other instance after {@code kill -9}, and PostgreSQL stopped mid-upload.
 */
class PostgresRgwFilesAppIT extends S3AppTestBase {

    @RegisterExtension
    static final S3TestServerExtension RGW = new S3TestServerExtension(S3TestServer.Kind.CEPH_RGW);

    /** Its own cluster: a test stops it. */
    private static PostgresServer postgres;
    private String jdbcUrl;

    @Override
    S3TestServerExtension server() {
        return RGW;
    }

    @BeforeEach
    void newDatabase() {
        synchronized (PostgresRgwFilesAppIT.class) {
            if (postgres == null) {
                postgres = PostgresServer.start();
            }
        }
        postgres.restart(); // a test may have stopped it
        jdbcUrl = postgres.newDatabase();
    }

    @AfterAll
    static void stopPostgres() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Override
    Map<String, String> environment() {
        Map<String, String> environment = new HashMap<>(super.environment());
        environment.put("FILES_CATALOG", "postgres");
        environment.put("FILES_CATALOG_URL", jdbcUrl);
        environment.put("FILES_CATALOG_USER", PostgresServer.USER);
        return environment;
    }

    @Test
    void concurrent_deletes_of_one_file_from_both_instances_give_one_204() throws Exception {
        List<RunningApp> instances = List.of(startApp("64m"), startApp("64m"));
        Path file = randomFile(work.resolve("once.csv"), 50_000);
        assertThat(status(curl("-H", AUTH, "-F", "file=@" + file, files(instances.get(0))))).isEqualTo(201);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<E2e.Result>> deletes = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            RunningApp instance = instances.get(i % 2);
            deletes.add(pool.submit((Callable<E2e.Result>) () -> curl("-X", "DELETE", files(instance) + "/once.csv",
                    "-H", AUTH)));
        }
        List<Integer> statuses = new ArrayList<>();
        for (Future<E2e.Result> delete : deletes) {
            statuses.add(status(delete.get()));
        }
        pool.shutdown();
        assertThat(statuses).containsOnly(204, 404).filteredOn(s -> s == 204).hasSize(1);
        assertThat(body(curl(files(instances.get(1)), "-H", AUTH)).get("space").get("usedBytes").asLong()).isZero();
        assertThat(contentObjects()).isEmpty();
    }

    @Test
    void a_tus_upload_goes_on_at_the_other_instance_after_the_first_is_killed() throws Exception {
        RunningApp first = startApp("64m");
        RunningApp second = startApp("64m");
        Path whole = randomFile(work.resolve("resumed.bin"), 12 * 1024 * 1024 + 17);
        byte[] bytes = Files.readAllBytes(whole);
        Path head = work.resolve("head.bin");
        Path rest = work.resolve("rest.bin");
        int cut = 7 * 1024 * 1024 + 3;
        Files.write(head, java.util.Arrays.copyOfRange(bytes, 0, cut));
        Files.write(rest, java.util.Arrays.copyOfRange(bytes, cut, bytes.length));

        E2e.Result created = curl("-D", "-", "-o", "/dev/null", "-X", "POST", first.baseUrl() + "/v1/uploads",
                "-H", AUTH, "-H", "Tus-Resumable: 1.0.0", "-H", "Upload-Length: " + bytes.length,
                "-H", "Upload-Metadata: filename " + java.util.Base64.getEncoder().encodeToString(
                        "resumed.bin".getBytes()));
        Matcher location = Pattern.compile("(?im)^location: \\S*(/v1/uploads/\\S+)").matcher(created.output());
        assertThat(location.find()).as(created.output()).isTrue();
        String upload = location.group(1);
        assertThat(status(patch(first, upload, 0, head))).isEqualTo(204);
        first.kill();

        E2e.Result offset = curl("-I", second.baseUrl() + upload, "-H", AUTH, "-H", "Tus-Resumable: 1.0.0");
        assertThat(offset.output()).containsIgnoringCase("Upload-Offset: " + cut);
        E2e.Result finished = patch(second, upload, cut, rest);
        assertThat(status(finished)).as(finished.output()).isEqualTo(204);

        E2e.Result metadata = curl(files(second) + "/resumed.bin", "-H", AUTH);
        assertThat(body(metadata).get("digest").get("hash").asText()).isEqualTo(md5(whole));
        Path downloaded = work.resolve("downloaded.bin");
        assertThat(status(curl("-o", downloaded.toString(), files(second) + "/resumed.bin/content", "-H", AUTH)))
                .isEqualTo(200);
        assertThat(md5(downloaded)).isEqualTo(md5(whole));
        assertThat(contentObjects()).as("the file's blob only: no piece or tail left").hasSize(1);
    }

    @Test
    void with_postgresql_stopped_mid_upload_the_app_answers_503_and_serves_again_once_it_is_back()
            throws Exception {
        RunningApp app = startApp("64m");
        Path file = randomFile(work.resolve("during.csv"), 3 * 1024 * 1024);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        Future<E2e.Result> slow = pool.submit((Callable<E2e.Result>) () -> curl("--limit-rate", "1M", "-H", AUTH,
                "-F", "file=@" + file, files(app)));
        Thread.sleep(1_000);
        postgres.stop();
        E2e.Result cut;
        E2e.Result list;
        RawHttp.Response ready;
        try {
            cut = slow.get();
            list = curl("-D", "-", files(app), "-H", AUTH);
            Thread.sleep(2_100); // past the readiness cache
            ready = RawHttp.exchange(app.port, ("GET /health/ready HTTP/1.1\r\nHost: localhost\r\n"
                    + "Connection: close\r\n\r\n").getBytes(), false, java.time.Duration.ofSeconds(20));
        } finally {
            postgres.restart();
            pool.shutdown();
        }
        assertThat(status(cut)).as(cut.output()).isEqualTo(503);
        assertThat(status(list)).isEqualTo(503);
        assertThat(list.output()).containsIgnoringCase("Retry-After:");
        assertThat(ready.status()).as(ready.body()).isEqualTo(503);

        long deadline = System.nanoTime() + 30_000_000_000L;
        int listed;
        do {
            Thread.sleep(200);
            listed = status(curl(files(app), "-H", AUTH));
        } while (listed != 200 && System.nanoTime() < deadline);
        assertThat(listed).as("serving again").isEqualTo(200);
        assertThat(body(curl(files(app), "-H", AUTH)).get("files")).as("nothing half-committed").isEmpty();
        assertThat(status(curl("-H", AUTH, "-F", "file=@" + file, files(app)))).as("the name is free").isEqualTo(201);
    }

    private static E2e.Result patch(RunningApp app, String upload, long offset, Path bytes) throws Exception {
        return curl("-D", "-", "-o", "/dev/null", "-X", "PATCH", app.baseUrl() + upload, "-H", AUTH,
                "-H", "Tus-Resumable: 1.0.0", "-H", "Upload-Offset: " + offset,
                "-H", "Content-Type: application/offset+octet-stream", "--data-binary", "@" + bytes);
    }
}
