package dev.filestaging.app;

import static dev.filestaging.app.E2e.body;
import static dev.filestaging.app.E2e.curl;
import static dev.filestaging.app.E2e.md5;
import static dev.filestaging.app.E2e.run;
import static dev.filestaging.app.E2e.status;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.filestaging.adapter.s3.testing.S3TestServer;
import dev.filestaging.adapter.s3.testing.S3TestServerExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The read path of the running jar, on local disk and on S3 (S3Proxy over HTTP), through readers nobody here wrote:
 * curl ranges, wget resuming a cut download, aria2 in parallel segments, fsspec's HTTP file system with random
 * access, pandas reading CSV from the content URL, and pandas and ClickHouse's {@code url()} reading a signed link.
 */
class RealReadersIT {

    private static final String KEY = "readers-bootstrap-key-0123456789";
    private static final String AUTH = "Authorization: Bearer " + KEY;
    private static final int ROWS = 60_000;

    @RegisterExtension
    static final S3TestServerExtension S3 = new S3TestServerExtension();

    @TempDir
    Path work;
    private RunningApp app;

    @AfterEach
    void stop() throws Exception {
        if (app != null) {
            app.close();
        }
    }

    private RunningApp start(String storage) throws Exception {
        return start(storage, Map.of());
    }

    private RunningApp start(String storage, Map<String, String> more) throws Exception {
        Map<String, String> environment = new HashMap<>(Map.of("FILES_BOOTSTRAP_API_KEY", KEY));
        environment.putAll(more);
        if (storage.equals("s3")) {
            environment.putAll(S3TestServer.credentialsEnvironment());
            environment.putAll(Map.of("FILES_STORAGE", "s3", "FILES_S3_BUCKET", S3.newBucket("readers"),
                    "FILES_S3_ENDPOINT", S3.server().endpoint().toString(), "FILES_CATALOG", "postgres",
                    "FILES_CATALOG_URL", dev.filestaging.adapter.postgres.PostgresServer.shared().newDatabase(),
                    "FILES_CATALOG_USER", dev.filestaging.adapter.postgres.PostgresServer.USER));
        }
        return RunningApp.start(work.resolve("data"), environment);
    }

    /** A CSV of a few MB whose rows differ, so any misplaced range shows. */
    private Path csv() throws Exception {
        StringBuilder text = new StringBuilder("id,name,score\n");
        Random random = new Random(42);
        for (int i = 0; i < ROWS; i++) {
            text.append(i).append(",row-").append(Long.toHexString(random.nextLong())).append(',')
                    .append(random.nextInt(1000)).append('\n');
        }
        return Files.writeString(work.resolve("events.csv"), text, StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "s3"})
    void curl_wget_aria2_fsspec_and_pandas_read_back_exactly_what_was_staged(String storage) throws Exception {
        app = start(storage);
        Path file = csv();
        byte[] bytes = Files.readAllBytes(file);
        E2e.Result upload = curl("-H", AUTH, "-F", "file=@" + file, app.baseUrl() + "/v1/files");
        assertThat(status(upload)).as(upload.output()).isEqualTo(201);
        String url = app.baseUrl() + "/v1/files/events.csv/content";

        // curl: a range and the whole file
        Path part = work.resolve("part");
        E2e.Result ranged = curl("-H", AUTH, "-r", "1000-1999", "-o", part.toString(), url);
        assertThat(status(ranged)).as(ranged.output()).isEqualTo(206);
        assertThat(Files.readAllBytes(part)).isEqualTo(Arrays.copyOfRange(bytes, 1000, 2000));

        // wget: continue a download cut after 1 MB
        Path resumed = Files.write(work.resolve("resumed.csv"), Arrays.copyOf(bytes, 1_000_000));
        E2e.Result wget = run(List.of("wget", "-q", "-c", "--header=" + AUTH, "-O", resumed.toString(), url), Map.of());
        assertThat(wget.exitCode()).as(wget.output()).isZero();
        assertThat(md5(resumed)).isEqualTo(md5(file));

        // aria2: four connections, each fetching its own segments
        E2e.Result aria = run(List.of("aria2c", "-q", "-x4", "-s4", "--min-split-size=1M", "--header=" + AUTH,
                "-d", work.toString(), "-o", "aria.csv", url), Map.of());
        assertThat(aria.exitCode()).as(aria.output()).isZero();
        assertThat(md5(work.resolve("aria.csv"))).isEqualTo(md5(file));

        // fsspec: HEAD for the size, then random-access reads; pandas: read_csv straight from the URL
        String python = E2e.pythonWith("fsspec, pandas, aiohttp", "python3-fsspec python3-pandas python3-aiohttp");
        String script = """
                import sys, fsspec, pandas
                url, key, path = sys.argv[1], sys.argv[2], sys.argv[3]
                headers = {"Authorization": "Bearer " + key}
                data = open(path, "rb").read()
                fs = fsspec.filesystem("http", headers=headers)
                assert fs.size(url) == len(data), (fs.size(url), len(data))
                with fs.open(url, "rb", block_size=64 * 1024) as f:
                    for offset in (len(data) - 10, 0, len(data) // 2, 123457):
                        f.seek(offset)
                        assert f.read(5000) == data[offset:offset + 5000], offset
                frame = pandas.read_csv(url, storage_options=headers)
                print(len(frame), int(frame["score"].sum()))
                """;
        E2e.Result readers = run(List.of(python, "-c", script, url, KEY, file.toString()), Map.of());
        assertThat(readers.exitCode()).as(readers.output()).isZero();
        long scoreSum = Files.readAllLines(file).stream().skip(1).mapToLong(l -> Long.parseLong(l.split(",")[2])).sum();
        assertThat(readers.output().strip()).isEqualTo(ROWS + " " + scoreSum);

        // a signed link, read without credentials by pandas and by ClickHouse's url() table function
        E2e.Result made = curl("-X", "POST", "-H", AUTH, "-H", "Content-Type: application/json",
                "-d", "{\"expiresInSeconds\": 600}", app.baseUrl() + "/v1/files/events.csv/links");
        assertThat(status(made)).as(made.output()).isEqualTo(201);
        String link = body(made).get("url").asText();
        E2e.Result pandas = run(List.of(python, "-c",
                "import sys, pandas; f = pandas.read_csv(sys.argv[1]); print(len(f), int(f['score'].sum()))", link),
                Map.of());
        assertThat(pandas.output().strip()).as(pandas.output()).isEqualTo(ROWS + " " + scoreSum);
        try (ClickHouse clickHouse = ClickHouse.start(work.resolve("clickhouse"))) {
            assertThat(clickHouse.query("SELECT count(), sum(score) FROM url('" + link
                    + "', CSVWithNames, 'id UInt64, name String, score UInt32')")).isEqualTo(ROWS + "\t" + scoreSum);
        }

        // a paged listing walked with its token
        E2e.Result page = curl("-H", AUTH, app.baseUrl() + "/v1/files?limit=1&pattern=*.csv");
        JsonNode listing = body(page);
        assertThat(listing.get("files")).hasSize(1);
        assertThat(listing.has("cont")).isFalse();
    }

    @org.junit.jupiter.api.Test
    void on_s3_with_redirected_downloads_readers_get_the_bytes_from_the_bucket_itself() throws Exception {
        app = start("s3", Map.of("FILES_S3_DOWNLOAD", "redirect"));
        Path file = csv();
        byte[] bytes = Files.readAllBytes(file);
        assertThat(status(curl("-H", AUTH, "-F", "file=@" + file, app.baseUrl() + "/v1/files"))).isEqualTo(201);
        String url = app.baseUrl() + "/v1/files/events.csv/content";

        E2e.Result redirect = run(List.of("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code} %{redirect_url}",
                "-H", AUTH, url), Map.of());
        assertThat(redirect.output()).startsWith("307 " + S3.server().endpoint());
        // curl -L does not forward the Authorization header to another host:port, as S3 wants (one auth per request)
        Path part = work.resolve("part");
        E2e.Result ranged = curl("-L", "-H", AUTH, "-r", "1000-1999", "-o", part.toString(), url);
        assertThat(status(ranged)).as(ranged.output()).isEqualTo(206);
        assertThat(Files.readAllBytes(part)).isEqualTo(Arrays.copyOfRange(bytes, 1000, 2000));
        Path whole = work.resolve("whole.csv");
        E2e.Result wget = run(List.of("wget", "-q", "--header=" + AUTH, "-O", whole.toString(), url), Map.of());
        assertThat(wget.exitCode()).as(wget.output()).isZero();
        assertThat(md5(whole)).isEqualTo(md5(file));
        E2e.Result head = run(List.of("curl", "-sSI", "-H", AUTH, url), Map.of());
        assertThat(head.output()).as("HEAD is answered here, from the metadata").startsWith("HTTP/1.1 200")
                .contains("Content-Length: " + bytes.length);
    }
}
