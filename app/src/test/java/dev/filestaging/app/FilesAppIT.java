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
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runnable jar, driven over HTTP by the clients users have: curl, Python requests, and a raw socket. */
class FilesAppIT {

    private static final String KEY = "e2e-bootstrap-key-0123456789";

    @TempDir
    Path work;
    private Path data;
    private RunningApp app;

    /** A test that starts the app its own way, or runs none: the usual one is not started for it (a start is 2.5 s). */
    @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
    @java.lang.annotation.Target(java.lang.annotation.ElementType.METHOD)
    @interface OwnApp {}

    @BeforeEach
    void start(org.junit.jupiter.api.TestInfo test) throws Exception {
        data = work.resolve("data");
        if (test.getTestMethod().map(method -> method.isAnnotationPresent(OwnApp.class)).orElse(false)) {
            return;
        }
        app = RunningApp.start(data, Map.of("FILES_BOOTSTRAP_API_KEY", KEY));
    }

    @AfterEach
    void stop() throws Exception {
        if (app != null) {
            app.close();
        }
    }

    private String files() {
        return app.baseUrl() + "/v1/files";
    }

    /** Blobs being written ({@code blobs/*.part}): the bytes of uploads under way, or of ones that left some. */
    private long tempEntries() throws IOException {
        Path blobs = data.resolve("blobs");
        if (!Files.isDirectory(blobs)) {
            return 0;
        }
        try (Stream<Path> entries = Files.list(blobs)) {
            return entries.filter(entry -> entry.getFileName().toString().endsWith(".part")).count();
        }
    }

    @Test
    void the_seed_curl_walkthrough_uploads_lists_gets_and_deletes() throws Exception {
        Path file = work.resolve("kttm-2019-08-20.json.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write("{\"time\":\"2019-08-20T00:00:00Z\",\"page\":\"a\"}\n".repeat(1000).getBytes(StandardCharsets.UTF_8));
        }
        String auth = "Authorization: Bearer " + KEY;

        // exactly the command of the Polaris page, host name changed
        E2e.Result upload = run(List.of("bash", "-c", "cd '" + work + "' && curl -sS -w '\\n%{http_code}' --location --request POST '"
                + files() + "' --header \"Authorization: Bearer $KEY\" --form 'file=@\"kttm-2019-08-20.json.gz\"'"),
                Map.of("KEY", KEY));
        assertThat(status(upload)).as(upload.output()).isEqualTo(201);
        JsonNode created = body(upload);
        assertThat(created.get("name").asText()).isEqualTo("kttm-2019-08-20.json.gz");
        assertThat(created.get("dataFormat").asText()).isEqualTo("nd-json");
        assertThat(created.get("compressionFormat").asText()).isEqualTo("gz");
        assertThat(created.get("sizeBytes").asLong()).isEqualTo(Files.size(file));
        assertThat(created.get("digest").get("hash").asText()).isEqualTo(md5(file));

        E2e.Result list = curl("--location", "--request", "GET", files(), "--header", auth);
        assertThat(status(list)).isEqualTo(200);
        assertThat(body(list).get("files").get(0).get("id").asText()).isEqualTo(created.get("id").asText());
        assertThat(body(list).get("space").get("usedBytes").asLong()).isEqualTo(Files.size(file));

        E2e.Result get = curl(files() + "/kttm-2019-08-20.json.gz", "--header", auth);
        assertThat(body(get)).isEqualTo(created);

        assertThat(status(curl("--location", "--request", "DELETE", files() + "/kttm-2019-08-20.json.gz", "--header", auth)))
                .isEqualTo(204);
        assertThat(status(curl("--request", "DELETE", files() + "/kttm-2019-08-20.json.gz", "--header", auth))).isEqualTo(404);
        assertThat(status(curl(files(), "--header", auth, "--form", "file=kttm-2019-08-20.json.gz"))).isEqualTo(400);
    }

    @Test
    void one_upload_is_traced_by_its_request_id_through_the_access_log_in_text_and_in_json_lines() throws Exception {
        Path file = randomFile(work.resolve("traced.csv"), 10_000);
        E2e.Result upload = curl("-H", "Authorization: Bearer " + KEY, "-H", "X-Request-Id: trace-me-1", "-F",
                "file=@" + file, files());
        assertThat(status(upload)).isEqualTo(201);
        String accessLine = awaitLine(app, "request=trace-me-1");
        assertThat(accessLine).matches("\\S+ INFO dev\\.filestaging\\.access: POST /v1/files 201 in=\\d+ out=\\d+ \\d+ ms principal=\\S+"
                + " request=trace-me-1").doesNotContain(KEY);

        app.close();
        app = RunningApp.start(data, Map.of("FILES_BOOTSTRAP_API_KEY", KEY, "FILES_LOG_FORMAT", "json"));
        assertThat(status(curl("-H", "Authorization: Bearer " + KEY, "-H", "X-Request-Id: trace-me-2", files()
                + "/traced.csv"))).isEqualTo(200);
        JsonNode line = new com.fasterxml.jackson.databind.ObjectMapper().readTree(awaitLine(app, "trace-me-2"));
        assertThat(line.get("requestId").asText()).isEqualTo("trace-me-2");
        assertThat(line.get("level").asText()).isEqualTo("INFO");
        assertThat(line.get("logger").asText()).isEqualTo("dev.filestaging.access");
        assertThat(line.get("message").asText()).startsWith("GET /v1/files/{name} 200 ");
        assertThat(app.output().lines().filter(l -> l.startsWith("{"))).as("every log line is a JSON object")
                .allSatisfy(l -> new com.fasterxml.jackson.databind.ObjectMapper().readTree(l));
    }

    @OwnApp
    @Test
    void the_management_port_serves_prometheus_metrics_that_count_what_happened() throws Exception {
        int management = RunningApp.freePort();
        app = RunningApp.start(data, Map.of("FILES_BOOTSTRAP_API_KEY", KEY, "FILES_MANAGEMENT_PORT",
                Integer.toString(management)));
        Path file = randomFile(work.resolve("metered.csv"), 100_000);
        String auth = "Authorization: Bearer " + KEY;
        assertThat(status(curl("-H", auth, "-F", "file=@" + file, files()))).isEqualTo(201);
        assertThat(status(curl("-H", auth, "-F", "file=@" + file, files()))).isEqualTo(409);
        assertThat(status(curl("-H", auth, files() + "/metered.csv/content"))).isEqualTo(200);
        assertThat(status(curl("-X", "POST", "-H", auth, "-H", "Tus-Resumable: 1.0.0", "-H", "Upload-Length: 10",
                "-H", "Upload-Metadata: filename " + java.util.Base64.getEncoder().encodeToString("open.csv".getBytes()),
                app.baseUrl() + "/v1/uploads"))).isEqualTo(201);

        E2e.Result scrape = curl("http://127.0.0.1:" + management + "/metrics");
        assertThat(status(scrape)).isEqualTo(200);
        String metrics = scrape.output();
        assertThat(metrics).contains(
                "files_http_requests_seconds_count{code=\"none\",method=\"POST\",route=\"/v1/files\",status=\"201\"} 1",
                "files_http_requests_seconds_count{code=\"name_conflict\",method=\"POST\",route=\"/v1/files\",status=\"409\"} 1",
                "files_http_requests_seconds_count{code=\"none\",method=\"GET\",route=\"/v1/files/{name}/content\",status=\"200\"} 1",
                "files_http_sent_bytes_total{route=\"/v1/files/{name}/content\"} 100000.0",
                "files_http_transfers_active 0.0",
                "files_storage_calls_seconds_count{backend=\"local\",operation=\"open\",outcome=\"ok\"} 1",
                "files_storage_calls_seconds_count{backend=\"local\",operation=\"commit\",outcome=\"ok\"} 1",
                "files_storage_calls_seconds_count{backend=\"local\",operation=\"upload_reserve\",outcome=\"ok\"} 1",
                "files_resumable_uploads_open 1.0",
                "files_quota_allocated_bytes{area=\"default/default\"} 1.0E12",
                "files_sweeps_removed_total{sweep=\"expired-uploads\"} 0.0",
                // GC meters: jvm_gc_pause_seconds appears only after a first collection, which a small heap may not
                // have needed yet; these are there from the start
                "jvm_memory_used_bytes", "process_cpu_usage", "jvm_gc_max_data_size_bytes");
        long received = metrics.lines().filter(l -> l.startsWith("files_http_received_bytes_total{route=\"/v1/files\"}"))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        assertThat(received).as("the first body whole, multipart framing included; of the refused one, what was read"
                + " before its 409").isBetween(100_000L, 210_000L);
        assertThat(metrics).as("the one file's bytes, as the upload read them")
                .containsPattern("files_quota_used_bytes\\{area=\"default/default\"\\} 1\\d{5}\\.0");
        assertThat(metrics).doesNotContain("metered.csv").doesNotContain(KEY);
        assertThat(status(curl(app.baseUrl() + "/metrics"))).as("not on the API's port").isEqualTo(404);
    }

    @Test
    void the_jar_serves_its_api_document_and_swagger_ui_without_credentials() throws Exception {
        E2e.Result document = curl(app.baseUrl() + "/openapi.json");
        assertThat(status(document)).isEqualTo(200);
        assertThat(document.output()).contains("\"openapi\" : \"3.1.0\"").contains("/v1/uploads/{id}");
        E2e.Result yaml = curl(app.baseUrl() + "/openapi.yaml");
        assertThat(yaml.output()).startsWith("openapi: 3.1.0");
        E2e.Result ui = curl("-D", "-", "-L", app.baseUrl() + "/docs");
        assertThat(status(ui)).isEqualTo(200);
        assertThat(ui.output()).contains("Content-Security-Policy: default-src 'none'").contains("swagger-ui-bundle.js");
        E2e.Result bundle = curl("-o", "/dev/null", "-w", " %{size_download}", app.baseUrl() + "/docs/swagger-ui-bundle.js");
        assertThat(bundle.output().strip()).as("the webjar is in the jar: its 1.6 MB bundle").matches("\\d{7,}");
        E2e.Result problem = curl(app.baseUrl() + "/v1/files");
        assertThat(problem.output()).contains("\"type\":\"" + app.baseUrl() + "/docs/problems#unauthorized\"");
    }

    private static String awaitLine(RunningApp app, String containing) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            java.util.Optional<String> line = app.output().lines().filter(l -> l.contains(containing)).findFirst();
            if (line.isPresent()) {
                return line.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no log line with " + containing + " in:\n" + app.output());
    }

    @Test
    void the_polaris_python_example_runs_unchanged_against_the_app() throws Exception {
        Path script = Path.of("src/test/resources/e2e/polaris_upload_example.py");
        Path file = randomFile(work.resolve("events.json"), 3 * 1024 * 1024 + 5);

        E2e.Result result = run(List.of(pythonWithRequests(), script.toAbsolutePath().toString(), file.toString()),
                Map.of("FILES_ENDPOINT", files(), "FILES_API_KEY", KEY));

        assertThat(result.output()).as("python3 with requests must be installed (.ci/run installs python3-requests)")
                .contains("EXAMPLE OK");
        assertThat(result.exitCode()).isZero();
    }

    @OwnApp
    @Test
    void the_polaris_oauth_python_example_gets_a_token_uploads_verifies_and_refreshes_the_expired_token()
            throws Exception {
        app = RunningApp.start(data, Map.of("FILES_BOOTSTRAP_API_KEY", KEY, "FILES_OAUTH_TOKEN_LIFETIME_SECONDS", "10",
                "FILES_OAUTH_CLOCK_SKEW_SECONDS", "0"));
        E2e.Result created = run(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                RunningApp.JAR.toString(), "oauth-client", "create", "--org", "default"), Map.of("FILES_DATA_DIR",
                data.toString()));
        assertThat(created.exitCode()).as(created.output()).isZero();
        String clientId = created.output().lines().filter(l -> l.startsWith("client_id=")).findFirst().orElseThrow()
                .substring("client_id=".length());
        String secret = created.output().lines().filter(l -> l.startsWith("client_secret=")).findFirst().orElseThrow()
                .substring("client_secret=".length());
        Path file = randomFile(work.resolve("kttm-2019-08-20.json"), 2 * 1024 * 1024 + 3);

        E2e.Result result = run(List.of(pythonWithRequests(),
                        Path.of("src/test/resources/e2e/polaris_oauth_example.py").toAbsolutePath().toString(),
                        file.toString()),
                Map.of("ORG_NAME", "default", "CLIENT_ID", clientId, "CLIENT_SECRET", secret,
                        "AUTH_HOST", app.baseUrl(), "FILES_ENDPOINT", files(), "TOKEN_LIFETIME_SECONDS", "10"));

        assertThat(result.output()).contains("The MD5 checksums match").contains("EXAMPLE OK after 2 token requests");
        assertThat(result.exitCode()).isZero();
        assertThat(app.output()).doesNotContain(secret);

        E2e.Result revoked = run(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                RunningApp.JAR.toString(), "oauth-client", "revoke", clientId), Map.of("FILES_DATA_DIR", data.toString()));
        assertThat(revoked.exitCode()).as(revoked.output()).isZero();
        E2e.Result refused = curl("-X", "POST", app.baseUrl() + "/auth/realms/default/protocol/openid-connect/token",
                "-d", "grant_type=client_credentials", "-d", "client_id=" + clientId, "-d", "client_secret=" + secret);
        assertThat(status(refused)).isEqualTo(401);
        assertThat(body(refused).get("error").asText()).isEqualTo("invalid_client");
    }

    @OwnApp
    @Test
    void a_two_gib_upload_streams_through_a_64_mib_heap_writing_its_size_once() throws Exception {
        long size = 2L << 30;
        app = RunningApp.start(data, Map.of("FILES_BOOTSTRAP_API_KEY", KEY, "FILES_MAX_UPLOAD_BYTES", Long.toString(3L << 30)));
        Path big = randomFile(work.resolve("big.bin"), size);
        long writtenBefore = app.writeBytes();
        long started = System.nanoTime();

        E2e.Result upload = curl("-H", "Authorization: Bearer " + KEY, "-F", "file=@" + big, files());

        double seconds = (System.nanoTime() - started) / 1e9;
        assertThat(status(upload)).as(upload.output()).isEqualTo(201);
        assertThat(body(upload).get("sizeBytes").asLong()).isEqualTo(size);
        assertThat(body(upload).get("digest").get("hash").asText()).isEqualTo(md5(big));
        long written = app.writeBytes() - writtenBefore;
        System.out.printf("2 GiB upload: %.1f s (%.0f MB/s), bytes written %d (%.4f x size), peak RSS %d MiB (-Xmx64m)%n",
                seconds, size / seconds / 1e6, written, (double) written / size, app.peakResidentKib() / 1024);
        assertThat(written).isBetween(size, (long) (size * 1.05));
        assertThat(tempEntries()).isZero();
        Files.delete(big);
    }

    @Test
    void at_the_default_limit_a_request_one_byte_over_two_gib_is_refused_before_its_body_is_sent() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", app.port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST /v1/files HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + KEY
                    + "\r\nContent-Type: multipart/form-data; boundary=b\r\nExpect: 100-continue\r\nContent-Length: "
                    + ((2L << 30) + 1) + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            String answer = new String(socket.getInputStream().readNBytes(12), StandardCharsets.UTF_8);
            assertThat(answer).isEqualTo("HTTP/1.1 413");
        }
    }

    @Test
    void a_client_that_disconnects_half_way_leaves_no_file_no_quota_and_a_free_name() throws Exception {
        try (Socket socket = E2e.halfUpload(app.port, "Authorization: Bearer " + KEY, "half.bin", 64 * 1024 * 1024)) {
            Thread.sleep(200);
        }

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (tempEntries() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(tempEntries()).as("temp files left behind").isZero();
        E2e.Result list = curl(files(), "-H", "Authorization: Bearer " + KEY);
        assertThat(body(list).get("files")).isEmpty();
        assertThat(body(list).get("space").get("usedBytes").asLong()).isZero();
        Path small = randomFile(work.resolve("half.bin"), 1000);
        assertThat(status(curl("-H", "Authorization: Bearer " + KEY, "-F", "file=@" + small, files()))).isEqualTo(201);
    }

    @Test
    void of_concurrent_uploads_of_one_name_exactly_one_wins_intact() throws Exception {
        int clients = 8;
        List<Path> contents = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            Path dir = Files.createDirectories(work.resolve("client" + i));
            contents.add(randomFile(dir.resolve("same.bin"), 4 * 1024 * 1024 + i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<E2e.Result>> results = new ArrayList<>();
        for (Path content : contents) {
            results.add(pool.submit((Callable<E2e.Result>) () ->
                    curl("-H", "Authorization: Bearer " + KEY, "-F", "file=@" + content, files())));
        }
        List<JsonNode> winners = new ArrayList<>();
        int conflicts = 0;
        for (Future<E2e.Result> result : results) {
            int status = status(result.get());
            if (status == 201) {
                winners.add(body(result.get()));
            } else {
                assertThat(status).as(result.get().output()).isEqualTo(409);
                conflicts++;
            }
        }
        pool.shutdown();

        assertThat(winners).hasSize(1);
        assertThat(conflicts).isEqualTo(clients - 1);
        int winner = (int) (winners.get(0).get("sizeBytes").asLong() - 4 * 1024 * 1024);
        assertThat(winners.get(0).get("digest").get("hash").asText()).isEqualTo(md5(contents.get(winner)));
        JsonNode listing = body(curl(files(), "-H", "Authorization: Bearer " + KEY));
        assertThat(listing.get("files")).hasSize(1);
        assertThat(listing.get("space").get("usedBytes").asLong()).isEqualTo(winners.get(0).get("sizeBytes").asLong());
        assertThat(tempEntries()).isZero();
    }

    @Test
    void files_survive_a_restart_and_a_kill_mid_upload_leaves_nothing_partial() throws Exception {
        Path kept = randomFile(work.resolve("kept.bin"), 100_000);
        assertThat(status(curl("-H", "Authorization: Bearer " + KEY, "-F", "file=@" + kept, files()))).isEqualTo(201);

        try (Socket socket = new Socket("127.0.0.1", app.port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/files HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + KEY
                    + "\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: 999999999\r\n\r\n"
                    + "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"partial.bin\"\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.write(new byte[3 * 1024 * 1024]);
            out.flush();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (tempEntries() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(tempEntries()).as("the upload is under way").isPositive();
            app.kill();
        }

        app = RunningApp.start(data, Map.of("FILES_BOOTSTRAP_API_KEY", KEY));

        JsonNode listing = body(curl(files(), "-H", "Authorization: Bearer " + KEY));
        assertThat(listing.get("files")).hasSize(1);
        assertThat(listing.get("files").get(0).get("name").asText()).isEqualTo("kept.bin");
        assertThat(listing.get("files").get(0).get("digest").get("hash").asText()).isEqualTo(md5(kept));
        assertThat(listing.get("space").get("usedBytes").asLong()).isEqualTo(100_000);
        assertThat(tempEntries()).isZero();
        Path partial = randomFile(work.resolve("partial.bin"), 10);
        assertThat(status(curl("-H", "Authorization: Bearer " + KEY, "-F", "file=@" + partial, files()))).isEqualTo(201);
    }

    @Test
    void sigterm_mid_upload_lets_the_upload_finish_with_201_refuses_new_requests_and_keeps_the_file() throws Exception {
        Path slow = randomFile(work.resolve("slow.bin"), 3_000_000);
        CompletableFuture<E2e.Result> upload = CompletableFuture.supplyAsync(() -> {
            try {
                return curl("--limit-rate", "300k", "-H", "Authorization: Bearer " + KEY, "-F", "file=@" + slow, files());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(2_000);
        long sigterm = System.nanoTime();
        app.process.destroy(); // SIGTERM, as systemd and docker stop send it
        Thread.sleep(300);
        E2e.Result during = curl("-H", "Authorization: Bearer " + KEY, files());

        E2e.Result result = upload.get(60, TimeUnit.SECONDS);
        assertThat(app.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        long drainMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sigterm);

        assertThat(status(result)).as(result.output()).isEqualTo(201);
        assertThat(body(result).get("digest").get("hash").asText()).isEqualTo(md5(slow));
        // a request after SIGTERM finds the port closed (curl exit 7) or, on an open connection, 503 shutting_down
        assertThat(during.exitCode() != 0 || status(during) == 503).as(during.output()).isTrue();
        assertThat(Files.readString(app.output)).contains("stopping: new requests are refused")
                .contains("every request finished").contains("storage closed")
                .as("the access line of the upload that finished during the drain")
                .containsPattern("dev\\.filestaging\\.access: POST /v1/files 201 ");
        System.out.printf("SIGTERM at 2 s into a 3 MB upload at 300 KB/s: 201, process gone %d ms after SIGTERM%n",
                drainMillis);

        app = RunningApp.start(data, Map.of("FILES_BOOTSTRAP_API_KEY", KEY));
        JsonNode listing = body(curl(files(), "-H", "Authorization: Bearer " + KEY));
        assertThat(listing.get("files")).hasSize(1);
        assertThat(listing.get("files").get(0).get("digest").get("hash").asText()).isEqualTo(md5(slow));
        assertThat(tempEntries()).isZero();
    }

    @Test
    void a_second_process_cannot_open_the_same_data_directory_and_says_why() throws Exception {
        RunningApp second = RunningApp.launch(data, Map.of("FILES_BOOTSTRAP_API_KEY", KEY));
        assertThat(second.process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(second.process.exitValue()).isEqualTo(1);
        assertThat(second.output()).contains("is in use by another process").contains("FILES_DATA_DIR");
        assertThat(status(curl(files(), "-H", "Authorization: Bearer " + KEY))).isEqualTo(200);
    }

    @OwnApp
    @Test
    void without_a_bootstrap_key_the_first_start_prints_one_that_works() throws Exception {
        Path fresh = work.resolve("fresh");
        app = RunningApp.start(fresh, Map.of());

        String output = app.output();
        String key = output.lines().map(String::strip).filter(l -> l.startsWith("fsk_")).findFirst().orElseThrow();
        assertThat(output).contains("curl -H \"Authorization: Bearer $FILES_API_KEY\"");
        assertThat(status(curl(files(), "-H", "Authorization: Bearer " + key))).isEqualTo(200);
        try (var records = Files.list(fresh.resolve("records").resolve("api-keys"))) {
            List<Path> keyRecords = records.toList();
            assertThat(keyRecords).as("one record, named by the key's SHA-256").hasSize(1);
            assertThat(keyRecords.get(0).getFileName().toString()).matches("[0-9a-f]{64}");
            assertThat(Files.readString(keyRecords.get(0))).doesNotContain(key);
        }

        app.close();
        app = RunningApp.start(fresh, Map.of());
        assertThat(app.output()).doesNotContain("fsk_");
    }

    @OwnApp
    @Test
    void bad_configuration_stops_start_up_naming_the_key() throws Exception {
        RunningApp broken = RunningApp.launch(work.resolve("other"), Map.of("FILES_STORAGE", "floppy"));
        assertThat(broken.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(broken.process.exitValue()).isEqualTo(2);
        assertThat(broken.output()).contains("FILES_STORAGE").contains("'local' or 's3'");
    }

    private E2e.Result jar(Map<String, String> environment, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", RunningApp.JAR.toString()));
        command.addAll(List.of(arguments));
        return E2e.run(command, environment);
    }

    @OwnApp
    @Test
    void the_cli_says_its_version_where_it_acts_and_takes_both_option_forms() throws Exception {
        Path other = work.resolve("cli-data");
        Map<String, String> environment = Map.of("FILES_DATA_DIR", other.toString());

        E2e.Result version = jar(Map.of(), "--version");
        assertThat(version.exitCode()).isZero();
        assertThat(version.output()).matches("(?s)files-app \\d+\\.\\d+\\.\\d+.*");

        E2e.Result created = jar(environment, "api-key", "create", "--org=acme", "--role=ReadFiles");
        assertThat(created.exitCode()).as(created.output()).isZero();
        assertThat(created.output()).contains("credentials in " + other.toAbsolutePath()).contains("'acme'");

        Path config = work.resolve("files.properties");
        Files.writeString(config, "FILES_DATA_DIR=" + other + "\n");
        E2e.Result listed = jar(Map.of(), "--config", config.toString(), "api-key", "list");
        assertThat(listed.exitCode()).as(listed.output()).isZero();
        assertThat(listed.output()).contains("credentials in " + other.toAbsolutePath()).contains("acme\tReadFiles");
    }

    @OwnApp
    @Test
    void start_up_names_what_is_wrong_a_missing_config_file_a_bad_host_and_a_misspelled_variable() throws Exception {
        E2e.Result missing = jar(Map.of(), "--config=" + work.resolve("nowhere.properties"));
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.output()).contains("nowhere.properties does not exist");

        RunningApp badHost = RunningApp.launch(work.resolve("bad-host"), Map.of("FILES_HTTP_HOST", "999.1.1.1",
                "FILES_HTTP_PROT", "18104"));
        assertThat(badHost.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(badHost.process.exitValue()).isEqualTo(1);
        assertThat(badHost.output()).contains("set FILES_HTTP_HOST to an address of this machine")
                .doesNotContain("FILES_HTTP_PORT to a free port")
                .contains("FILES_HTTP_PROT is no setting and is ignored; did you mean FILES_HTTP_PORT?");
    }

    @Test
    void the_start_up_banner_gives_the_version_the_upload_limit_and_the_quota() throws Exception {
        assertThat(app.output()).containsPattern("Files API \\d+\\.\\d+\\.\\d+\\S* listening on")
                .contains("uploads up to 2,147,483,648 bytes").contains("1,000,000,000,000 bytes of quota");
    }
}
