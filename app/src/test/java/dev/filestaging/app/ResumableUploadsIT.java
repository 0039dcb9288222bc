package dev.filestaging.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import dev.filestaging.adapter.s3.testing.S3TestServer;
import dev.filestaging.adapter.s3.testing.S3TestServerExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resumable uploads against the running jar with tus-js-client (from npm) in Node, as an application would use it:
 * the app is killed with {@code kill -9} mid-upload and started again, and the client resumes from the upload URL it
 * kept.
 */
class ResumableUploadsIT {
    private static final String KEY = "tus-it-key-0123456789abcdef";
    private static final long CHUNK = 5L * 1024 * 1024;
    private static final Path CLIENT = Path.of("target", "tus-node");

    @TempDir
    Path work;
    private RunningApp app;

    /** tus-js-client, installed once per build next to the script that drives it. */
    @BeforeAll
    static void installClient() throws Exception {
        Files.createDirectories(CLIENT);
        Files.copy(Path.of("src", "test", "resources", "tus", "upload.mjs"), CLIENT.resolve("upload.mjs"),
                StandardCopyOption.REPLACE_EXISTING);
        if (!Files.isDirectory(CLIENT.resolve("node_modules").resolve("tus-js-client"))) {
            E2e.Result installed = E2e.run(List.of("npm", "install", "--no-audit", "--no-fund", "--prefix",
                    CLIENT.toAbsolutePath().toString(), "tus-js-client@4.3.1"), Map.of());
            assertThat(installed.exitCode()).as(installed.output()).isZero();
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (app != null) {
            app.close();
        }
    }

    /** On one port throughout: the client resumes at the upload URL the first process handed out. */
    private int port;

    private RunningApp startApp() throws Exception {
        if (port == 0) {
            port = RunningApp.freePort();
        }
        return RunningApp.start(work.resolve("data"), Map.of("FILES_BOOTSTRAP_API_KEY", KEY,
                "FILES_HTTP_PORT", Integer.toString(port)));
    }

    /** A running tus-js-client; its printed lines are collected as they come. */
    private static final class Client {
        final Process process;
        final List<String> lines = new CopyOnWriteArrayList<>();

        Client(String endpoint, Path file, Path urlFile, String resumeUrl) throws Exception {
            this(endpoint, file, urlFile, resumeUrl, Map.of());
        }

        Client(String endpoint, Path file, Path urlFile, String resumeUrl, Map<String, String> environment)
                throws Exception {
            List<String> command = new java.util.ArrayList<>(List.of("node",
                    CLIENT.resolve("upload.mjs").toAbsolutePath().toString(), endpoint, KEY, file.toString(),
                    urlFile.toString()));
            if (resumeUrl != null) {
                command.add(resumeUrl);
            }
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().putAll(environment);
            process = builder.start();
            Thread reader = new Thread(() -> {
                try (BufferedReader out = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = out.readLine()) != null) {
                        lines.add(line);
                    }
                } catch (java.io.IOException ended) {
                    // the process went away
                }
            });
            reader.setDaemon(true);
            reader.start();
        }

        long accepted() {
            return lines.stream().filter(l -> l.startsWith("accepted ")).mapToLong(l -> Long.parseLong(l.substring(9)))
                    .max().orElse(0);
        }

        void awaitExit() throws InterruptedException {
            assertThat(process.waitFor(3, TimeUnit.MINUTES)).as("the client finishes").isTrue();
            Thread.sleep(100); // the reader thread takes the last lines
        }
    }

    @Test
    void tus_js_client_resumes_a_200_mib_upload_after_kill_9_and_restart_and_the_md5_is_the_sources() throws Exception {
        Path file = E2e.randomFile(work.resolve("events.csv"), 200L * 1024 * 1024);
        Path urlFile = work.resolve("upload-url");
        app = startApp();
        String endpoint = app.baseUrl() + "/v1/uploads";

        Client first = new Client(endpoint, file, urlFile, null);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (first.accepted() < 60L * 1024 * 1024 && first.process.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        app.kill(); // kill -9, mid-upload
        first.awaitExit();
        long acknowledged = first.accepted();
        assertThat(acknowledged).as(String.join("\n", first.lines)).isBetween(60L * 1024 * 1024, 200L * 1024 * 1024 - 1);
        assertThat(first.lines).anyMatch(line -> line.startsWith("error "));

        app = startApp();
        String uploadUrl = Files.readString(urlFile).strip();
        long durable = durableOffset(uploadUrl);
        assertThat(durable).as("every acknowledged byte survived kill -9").isGreaterThanOrEqualTo(acknowledged);
        assertThat(durable - acknowledged).as("at most the chunk in flight is sent again").isLessThanOrEqualTo(CHUNK);
        System.out.printf("tus: kill -9 after %,d acknowledged bytes; the restarted app resumes at %,d%n",
                acknowledged, durable);

        Client second = new Client(endpoint, file, urlFile, uploadUrl);
        second.awaitExit();
        assertThat(second.lines).as(String.join("\n", second.lines)).contains("done");

        E2e.Result staged = E2e.curl("-H", "Authorization: Bearer " + KEY, app.baseUrl() + "/v1/files/events.csv");
        assertThat(E2e.body(staged).path("digest").path("hash").asText()).isEqualTo(E2e.md5(file));
        assertThat(E2e.body(staged).path("sizeBytes").asLong()).isEqualTo(Files.size(file));
        try (var left = Files.list(work.resolve("data").resolve("blobs"))) {
            assertThat(left).as("nothing of the upload is left once it is staged but its file's blob")
                    .singleElement().matches(entry -> !entry.getFileName().toString().endsWith(".part"));
        }
        E2e.Result finished = E2e.curl("-I", "-H", "Authorization: Bearer " + KEY, "-H", "Tus-Resumable: 1.0.0",
                uploadUrl);
        assertThat(finished.output()).as("HEAD after the last byte says where the file is")
                .containsIgnoringCase("Staged-File: /v1/files/events.csv");
    }

    /** The offset {@code HEAD} answers for the upload at {@code url}. */
    private static long durableOffset(String url) throws Exception {
        E2e.Result head = E2e.curl("-I", "-H", "Authorization: Bearer " + KEY, "-H", "Tus-Resumable: 1.0.0", url);
        return Long.parseLong(head.output().lines().filter(l -> l.toLowerCase().startsWith("upload-offset:"))
                .findFirst().orElseThrow().substring("upload-offset:".length()).strip());
    }

    @RegisterExtension
    static final S3TestServerExtension S3 = new S3TestServerExtension();

    @Test
    void sigterm_mid_patch_keeps_what_arrived_on_local_disk() throws Exception {
        Map<String, String> environment = Map.of("FILES_BOOTSTRAP_API_KEY", Backend.KEY,
                "FILES_HTTP_SHUTDOWN_GRACE_SECONDS", "1");
        app = RunningApp.start(work.resolve("data"), environment);
        keepsWhatArrivedThroughSigterm(() -> RunningApp.start(work.resolve("data"), environment));
    }

    @Test
    void sigterm_mid_patch_keeps_what_arrived_on_s3() throws Exception {
        String bucket = S3.newBucket("tus-term");
        Map<String, String> environment = new java.util.HashMap<>(S3TestServer.credentialsEnvironment());
        environment.putAll(Map.of("FILES_BOOTSTRAP_API_KEY", Backend.KEY, "FILES_STORAGE", "s3", "FILES_S3_BUCKET", bucket,
                "FILES_S3_ENDPOINT", S3.server().endpoint().toString(), "FILES_HTTP_SHUTDOWN_GRACE_SECONDS", "1"));
        environment.putAll(postgresCatalog());
        app = RunningApp.start(work.resolve("a"), environment, "64m");
        keepsWhatArrivedThroughSigterm(() -> RunningApp.start(work.resolve("b"), environment, "64m"));
    }

    /**
     * A PATCH still arriving when SIGTERM's grace ends is cut off as a client's cut would cut it: what arrived is
     * kept, durably (issue 24: HEAD went back to 0, while the log said every request finished).
     */
    private void keepsWhatArrivedThroughSigterm(java.util.concurrent.Callable<RunningApp> restart) throws Exception {
        Tus tus = new Tus(app.port);
        String upload = tus.create("terminated.bin", 50_000_000);
        byte[] sent = new byte[8_000_000];
        new java.util.Random(17).nextBytes(sent);
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", app.port)) {
            java.io.OutputStream out = socket.getOutputStream();
            out.write(("PATCH " + upload + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + Backend.KEY
                    + "\r\nTus-Resumable: 1.0.0\r\nUpload-Offset: 0\r\nContent-Type: application/offset+octet-stream"
                    + "\r\nContent-Length: 50000000\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            try {
                out.write(sent);
                out.flush();
            } catch (java.io.IOException refused) {
                throw new AssertionError("the server stopped reading: " + new String(socket.getInputStream()
                        .readNBytes(2000), java.nio.charset.StandardCharsets.UTF_8) + "\n" + app.output(), refused);
            }
            Thread.sleep(500); // the rest never comes

            app.process.destroy(); // SIGTERM
            assertThat(app.process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        }
        assertThat(app.output()).contains("requests still running were cut off");
        app = restart.call();

        Tus again = new Tus(app.port);
        assertThat(again.offset(upload)).as("every byte that arrived before the cut was kept").isEqualTo(sent.length);
        byte[] rest = new byte[50_000_000 - sent.length];
        RawHttp.Response last = again.patch(upload, sent.length, rest, 0, rest.length);
        assertThat(last.status()).as(last.body()).isEqualTo(204);
        assertThat(last.header("Staged-File")).isEqualTo("/v1/files/terminated.bin");
    }

    @Test
    void on_s3_a_second_instance_continues_the_upload_of_an_instance_killed_mid_upload() throws Exception {
        String bucket = S3.newBucket("tus");
        Map<String, String> environment = new java.util.HashMap<>(S3TestServer.credentialsEnvironment());
        environment.putAll(Map.of("FILES_BOOTSTRAP_API_KEY", KEY, "FILES_STORAGE", "s3", "FILES_S3_BUCKET", bucket,
                "FILES_S3_PREFIX", "staging", "FILES_S3_ENDPOINT", S3.server().endpoint().toString()));
        environment.putAll(postgresCatalog());
        RunningApp first = RunningApp.start(work.resolve("a"), environment, "64m");
        try {
            app = RunningApp.start(work.resolve("b"), environment, "64m");
            continuesOnAnother(first, app, bucket);
        } finally {
            first.close();
        }
    }

    private void continuesOnAnother(RunningApp first, RunningApp second, String bucket) throws Exception {
        Path file = E2e.randomFile(work.resolve("events.csv"), 200L * 1024 * 1024);
        Path urlFile = work.resolve("upload-url");

        Client client = new Client(first.baseUrl() + "/v1/uploads", file, urlFile, null);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (client.accepted() < 60L * 1024 * 1024 && client.process.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        first.kill(); // kill -9, mid-upload: its lease on the upload stays in the catalog until it lapses
        client.awaitExit();
        long acknowledged = client.accepted();
        assertThat(acknowledged).as(String.join("\n", client.lines)).isBetween(60L * 1024 * 1024, 200L * 1024 * 1024 - 1);

        String path = java.net.URI.create(Files.readString(urlFile).strip()).getPath();
        String onSecond = second.baseUrl() + path;
        long durable = durableOffset(onSecond);
        assertThat(durable).as("every acknowledged byte is in the bucket").isGreaterThanOrEqualTo(acknowledged);
        assertThat(durable - acknowledged).as("at most the chunk in flight is sent again").isLessThanOrEqualTo(CHUNK);
        System.out.printf("tus on S3: instance killed after %,d acknowledged bytes; the other resumes at %,d%n",
                acknowledged, durable);

        // the killed writer's lease is taken over once it lapses (a minute, judged by the database's clock); until then
        // the upload is 423, which tus-js-client retries
        Client resumed = new Client(second.baseUrl() + "/v1/uploads", file, urlFile, onSecond,
                Map.of("TUS_RETRY_DELAYS", "1000,2000,4000,8000,15000,15000,15000,15000,15000"));
        resumed.awaitExit();
        assertThat(resumed.lines).as(String.join("\n", resumed.lines)).contains("done");

        E2e.Result staged = E2e.curl("-H", "Authorization: Bearer " + KEY, second.baseUrl() + "/v1/files/events.csv");
        assertThat(E2e.body(staged).path("digest").path("hash").asText()).isEqualTo(E2e.md5(file));
        assertThat(E2e.body(staged).path("sizeBytes").asLong()).isEqualTo(Files.size(file));
        assertThat(S3.server().objects(bucket, "staging/blob-tails/")).as("no piece or tail of the upload is left")
                .isEmpty();
        assertThat(S3.server().objects(bucket, "staging/blobs/")).as("the file's blob only").hasSize(1);
        E2e.Result finished = E2e.curl("-I", "-H", "Authorization: Bearer " + KEY, "-H", "Tus-Resumable: 1.0.0",
                onSecond);
        assertThat(finished.output()).as("HEAD after the last byte says where the file is")
                .containsIgnoringCase("Staged-File: /v1/files/events.csv");
        assertThat(S3.server().openMultipartUploads(bucket)).isEmpty();
    }

    @Test
    void tus_java_client_resumes_after_kill_9_through_its_url_store_with_method_override() throws Exception {
        Path file = E2e.randomFile(work.resolve("rows.csv"), 40L * 1024 * 1024);
        app = startApp();
        io.tus.java.client.TusClient client = new io.tus.java.client.TusClient();
        client.setUploadCreationURL(new java.net.URL(app.baseUrl() + "/v1/uploads"));
        client.setHeaders(Map.of("Authorization", "Bearer " + KEY));
        client.enableResuming(new io.tus.java.client.TusURLMemoryStore());
        io.tus.java.client.TusUpload upload = new io.tus.java.client.TusUpload(file.toFile());
        upload.setMetadata(Map.of("filename", "rows.csv"));

        io.tus.java.client.TusUploader first = client.resumeOrCreateUpload(upload);
        first.setChunkSize(1024 * 1024);
        first.setRequestPayloadSize((int) CHUNK);
        while (first.getOffset() < 15L * 1024 * 1024) {
            first.uploadChunk();
        }
        first.finish(false); // ends the request in flight: its bytes are acknowledged
        long acknowledged = first.getOffset();
        app.kill();
        app = startApp();

        io.tus.java.client.TusUploader resumed = client.resumeOrCreateUpload(upload);
        assertThat(resumed.getOffset()).as("resumed where the killed process acknowledged").isEqualTo(acknowledged);
        resumed.setChunkSize(1024 * 1024);
        resumed.setRequestPayloadSize((int) CHUNK);
        while (resumed.uploadChunk() > -1) {
            // on to the last byte
        }
        resumed.finish();

        E2e.Result staged = E2e.curl("-H", "Authorization: Bearer " + KEY, app.baseUrl() + "/v1/files/rows.csv");
        assertThat(E2e.body(staged).path("digest").path("hash").asText()).isEqualTo(E2e.md5(file));
    }

    /** The PostgreSQL catalog S3 storage needs: a new database of the JVM's throwaway cluster. */
    private static Map<String, String> postgresCatalog() {
        return Map.of("FILES_CATALOG", "postgres", "FILES_CATALOG_URL",
                dev.filestaging.adapter.postgres.PostgresServer.shared().newDatabase(),
                "FILES_CATALOG_USER", dev.filestaging.adapter.postgres.PostgresServer.USER);
    }
}
