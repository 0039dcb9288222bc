package dev.filestaging.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bounded resources under hostile clients, on the real jar: 10,000 unauthenticated requests with invented and
 * malformed methods, garbage addresses, ambiguous framing, bad versions and oversized request lines. The series in
 * {@code /metrics} stop growing (the second 5,000 add none), and each request is one log line with its request id: no
 * stack trace, no warning, no line of the client's bytes.
 */
class HostileRequestsIT {
    private static final String KEY = "hostile-requests-bootstrap-key-0123456789";
    private static final int REQUESTS = 10_000;

    @TempDir
    Path data;

    @Test
    void ten_thousand_hostile_requests_leave_the_metric_series_and_the_log_bounded() throws Exception {
        int management = RunningApp.freePort();
        try (RunningApp app = RunningApp.start(data, Map.of("FILES_BOOTSTRAP_API_KEY", KEY, "FILES_MANAGEMENT_PORT",
                Integer.toString(management)))) {
            String before = scrape(management);
            long linesBefore = logLines(app).size();
            Random random = new Random(24);
            Map<Integer, Integer> statuses = new TreeMap<>();

            long started = System.nanoTime();
            send(app.port, random, REQUESTS / 2, statuses);
            String half = scrape(management);
            send(app.port, random, REQUESTS / 2, statuses);
            long millis = (System.nanoTime() - started) / 1_000_000;
            long scrapeStarted = System.nanoTime();
            String after = scrape(management);
            long scrapeMillis = (System.nanoTime() - scrapeStarted) / 1_000_000;

            long seriesBefore = series(before);
            long seriesHalf = series(half);
            long seriesAfter = series(after);
            System.out.printf("%,d hostile requests in %,d ms, answered %s; series in /metrics: %d before, %d after"
                            + " %,d, %d after %,d (%,d bytes, scraped in %d ms)%n", REQUESTS, millis, statuses,
                    seriesBefore, seriesHalf, REQUESTS / 2, seriesAfter, REQUESTS, after.length(), scrapeMillis);
            assertThat(statuses.keySet()).as("every request answered, none served")
                    .isSubsetOf(400, 401, 404, 405, 414, 501, 505);
            assertThat(seriesAfter).as("the second half adds no series").isEqualTo(seriesHalf);
            assertThat(seriesAfter - seriesBefore).as("series the hostile requests added").isLessThan(1_000);
            assertThat(after).doesNotContain("\r").doesNotContain("YQ");
            assertThat(after.lines().filter(line -> line.startsWith("files_http_requests_seconds_count"))
                    .map(line -> line.replaceAll(".*method=\"([^\"]*)\".*", "$1")).distinct())
                    .isSubsetOf("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT", "other");

            List<String> lines = logLines(app);
            List<String> added = lines.subList((int) linesBefore, lines.size());
            assertThat(added).as("one line per request").hasSizeBetween(REQUESTS, REQUESTS + 5);
            assertThat(added).noneMatch(line -> line.contains(" ERROR ") || line.contains(" WARN ")
                    || line.startsWith("\tat ") || line.contains("Exception"));
            assertThat(added.stream().filter(line -> line.contains("dev.filestaging.access")))
                    .hasSize(REQUESTS).allMatch(line -> line.contains(" request="));
        }
    }

    /** Half the requests in parallel on four connections at a time, each on a connection of its own. */
    private static void send(int port, Random random, int count, Map<Integer, Integer> statuses) throws Exception {
        List<byte[]> requests = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            requests.add(hostile(random, i));
        }
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> answers = new java.util.ArrayList<>();
            for (byte[] request : requests) {
                answers.add(clients.submit(() -> RawHttp.exchange(port, request, false, Duration.ofSeconds(10)).status()));
            }
            for (Future<Integer> answer : answers) {
                statuses.merge(answer.get(), 1, Integer::sum);
            }
        } finally {
            clients.shutdownNow();
        }
    }

    /** One of eight kinds of hostile request, none of which carries credentials that work. */
    private static byte[] hostile(Random random, int i) {
        String token = token(random);
        String request = switch (random.nextInt(8)) {
            case 0 -> "YQ" + token + " /v1/files/" + token + " HTTP/1.1\r\nHost: x\r\n\r\n";
            case 1 -> "GE" + "\r\n\"{\u007f\u00e9".charAt(random.nextInt(6)) + "T /v1/files HTTP/1.1\r\nHost: x\r\n\r\n";
            case 2 -> "GET /" + token + "/%" + token + "?" + token + " HTTP/1.1\r\nHost: x\r\n\r\n";
            case 3 -> "POST /v1/files HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: x" + token
                    + "\r\n\r\n0\r\n\r\nDELETE /v1/files/a HTTP/1.1\r\nHost: x\r\n\r\n";
            case 4 -> "POST /v1/files HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "0\r\n\r\n";
            case 5 -> "GET /v1/files HTTP/" + (2 + random.nextInt(7)) + ".0\r\nHost: x\r\n\r\n";
            case 6 -> "GET /" + token.repeat(10_000 / token.length() + 1) + " HTTP/1.1\r\nHost: x\r\n\r\n";
            default -> "GET /v1/files/" + token + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token + i
                    + "\r\nX-Junk: a\u0000" + token + "\r\n\r\n";
        };
        return request.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String token(Random random) {
        StringBuilder token = new StringBuilder();
        for (int i = 0, n = 4 + random.nextInt(12); i < n; i++) {
            token.append((char) ('A' + random.nextInt(26)));
        }
        return token.toString();
    }

    private static String scrape(int management) throws IOException, InterruptedException {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + management + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        return answer.body();
    }

    /** Series: the exposition's sample lines. */
    private static long series(String exposition) {
        return exposition.lines().filter(line -> !line.isEmpty() && !line.startsWith("#")).count();
    }

    private static List<String> logLines(RunningApp app) throws IOException {
        return Files.readAllLines(app.output, StandardCharsets.UTF_8);
    }
}
