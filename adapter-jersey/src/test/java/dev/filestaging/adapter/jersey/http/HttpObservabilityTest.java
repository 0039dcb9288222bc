package dev.filestaging.adapter.jersey.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.filestaging.adapter.jersey.ApiUnderTest;
import dev.filestaging.adapter.jersey.RawExchange;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the access log and the meters see of hostile and careless clients: every label from a bounded set, every
 * request (parser refusals included) one line with its request id, no stack trace for a client that leaves.
 */
class HttpObservabilityTest {
    private static final String OTHER_SERVERS_SHUTDOWN = "org.glassfish.grizzly.nio.GracefulShutdownRunner";
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Logger root = Logger.getLogger("");
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (OTHER_SERVERS_SHUTDOWN.equals(record.getLoggerName())) {
                // an earlier test's server finishes its graceful shutdown on Grizzly's own thread, during this test
                return;
            }
            // the request id is what the app's log format adds to every line written while a request is served
            lines.add(record.getLevel() + " " + record.getLoggerName() + " " + record.getMessage() + " id="
                    + RequestIds.current().orElse("-") + (record.getThrown() == null ? "" : " thrown=" + record.getThrown()));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private ApiUnderTest api;

    @BeforeEach
    void start() throws Exception {
        root.addHandler(capture);
        api = new ApiUnderTest(ApiUnderTest.settings(), store -> null, meters);
    }

    @AfterEach
    void stop() {
        api.close();
        root.removeHandler(capture);
    }

    private List<String> accessLines() {
        return lines.stream().filter(line -> line.contains("dev.filestaging.access")).toList();
    }

    @Test
    void binary_bytes_where_a_request_line_should_be_are_one_400_and_no_stack_trace() throws Exception {
        byte[] tlsHello = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc, 0x03, 0x03, '\r', '\n', '\r',
                '\n'};
        byte[] noise = new byte[5_000]; // the rest of a body longer than its Content-Length, say
        new Random(7).nextBytes(noise);
        for (byte[] request : new byte[][] {tlsHello, noise}) {
            RawExchange.Result result = RawExchange.exchange(api.server.port(), request, 5_000, 200);

            assertThat(result.statuses()).containsExactly(400);
            assertThat(result.closed()).isTrue();
        }
        assertThat(lines).as("no warning, no stack trace: " + lines)
                .noneMatch(line -> line.startsWith("WARNING") || line.startsWith("SEVERE") || line.contains("thrown="));
    }

    @Test
    void a_broken_chunked_body_is_answered_once_and_logs_no_stack_trace() throws Exception {
        for (String path : new String[] {"/health", "/v1/files", "/v1/uploads"}) {
            RawExchange.Result result = RawExchange.exchange(api.server.port(), ("POST " + path
                    + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + api.key + "\r\nTransfer-Encoding: chunked\r\n"
                    + "Content-Type: multipart/form-data; boundary=b\r\n\r\n1g\r\nx\r\n0\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1), 5_000, 300);

            assertThat(result.answers()).as(path).hasSize(1);
            assertThat(result.answers().get(0).status()).as(path).isBetween(400, 499);
        }
        assertThat(lines).as("no warning, no stack trace: " + lines)
                .noneMatch(line -> line.startsWith("WARNING") || line.startsWith("SEVERE") || line.contains("thrown="));
    }

    @Test
    void a_request_pipelined_behind_an_address_that_is_no_uri_never_runs() throws Exception {
        api.upload("/v1/files", "victim.csv", "a,b\n".getBytes(StandardCharsets.UTF_8));

        RawExchange.Result result = RawExchange.exchange(api.server.port(), ("GET /v1/files/%zz HTTP/1.1\r\n"
                + "Host: x\r\n\r\nDELETE /v1/files/victim.csv HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + api.key
                + "\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1), 5_000, 300);

        assertThat(result.statuses()).containsExactly(400);
        assertThat(result.closed()).isTrue();
        assertThat(api.get("/v1/files/victim.csv").statusCode()).as("the pipelined DELETE did not run").isEqualTo(200);
    }

    @Test
    void any_number_of_invented_methods_and_garbage_requests_make_a_bounded_set_of_series() throws Exception {
        Random random = new Random(24);
        for (int i = 0; i < 300; i++) {
            String method = random.nextBoolean() ? randomToken(random) : "GE\rT" + i;
            String path = random.nextBoolean() ? "/v1/files/" + randomToken(random) : "/" + randomToken(random);
            RawExchange.exchange(api.server.port(), (method + " " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1), 5_000, 50);
        }

        Set<String> methods = new HashSet<>();
        Set<String> routes = new HashSet<>();
        for (Meter meter : meters.getMeters()) {
            if (meter.getId().getName().equals("files.http.requests")) {
                methods.add(meter.getId().getTag("method"));
                routes.add(meter.getId().getTag("route"));
            }
        }
        assertThat(methods).containsOnly("other");
        assertThat(routes).isSubsetOf(CompletedRequest.UNMATCHED, CompletedRequest.UNPARSED, "/v1/files/{name}");
        assertThat(meters.getMeters().stream().filter(m -> m.getId().getName().equals("files.http.requests")).count())
                .as("series of files.http.requests after 300 garbage requests").isLessThanOrEqualTo(4);
        assertThat(accessLines()).hasSize(300).allSatisfy(line -> assertThat(line).doesNotContain("\r")
                .doesNotContain("GE").doesNotContain("id=-"));
        assertThat(lines).noneMatch(line -> line.contains("thrown="));
    }

    @Test
    void a_request_refused_by_the_parser_is_one_access_line_and_a_metric_with_the_id_it_was_answered_with()
            throws Exception {
        RawExchange.Result result = RawExchange.exchange(api.server.port(), ("PATCH /v1/files HTTP/1.1\r\nHost: x\r\n"
                + "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n").getBytes(StandardCharsets.US_ASCII),
                5_000, 50);

        assertThat(result.statuses()).containsExactly(400);
        String id = result.answers().get(0).header("X-Request-Id");
        assertThat(accessLines()).singleElement().asString()
                .contains("PATCH (unparsed) 400 bad_request").contains("id=" + id);
        assertThat(meters.get("files.http.requests").tags("method", "PATCH", "route", "(unparsed)", "status", "400")
                .timer().count()).isEqualTo(1);
    }

    @Test
    void an_address_that_is_no_uri_is_one_access_line_with_the_id_it_was_answered_with() throws Exception {
        RawExchange.Result result = RawExchange.exchange(api.server.port(),
                "GET /v1/files/%zz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 5_000, 50);

        assertThat(result.statuses()).containsExactly(400);
        String id = result.answers().get(0).header("X-Request-Id");
        assertThat(result.answers().get(0).body()).contains("bad_address").contains("request/" + id);
        assertThat(accessLines()).singleElement().asString().contains("GET (unparsed) 400 bad_address")
                .contains("id=" + id);
    }

    @Test
    void a_refused_request_is_labelled_with_its_route() throws Exception {
        api.key = "not-a-key";
        assertThat(api.get("/v1/files/some.csv").statusCode()).isEqualTo(401);
        assertThat(api.send(api.authorized("/v1/uploads/abc").method("PATCH", HttpRequest.BodyPublishers.noBody()))
                .statusCode()).isEqualTo(401);
        assertThat(api.get("/v1/nothing/here").statusCode()).isEqualTo(401);

        assertThat(accessLines()).hasSize(3);
        assertThat(accessLines().get(0)).contains("GET /v1/files/{name} 401");
        assertThat(accessLines().get(1)).contains("PATCH /v1/uploads/{id} 401");
        assertThat(accessLines().get(2)).contains("GET (unmatched) 401");
    }

    @Test
    void a_tus_append_sent_after_100_continue_answers_with_one_date() throws Exception {
        HttpResponse<String> created = api.send(api.authorized("/v1/uploads").header("Tus-Resumable", "1.0.0")
                .header("Upload-Length", "5").header("Upload-Metadata", "filename "
                        + java.util.Base64.getEncoder().encodeToString("d.csv".getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.noBody()));
        String path = java.net.URI.create(ApiUnderTest.header(created, "Location")).getPath();

        try (Socket socket = new Socket("127.0.0.1", api.server.port())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(("PATCH " + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + api.key
                    + "\r\nTus-Resumable: 1.0.0\r\nUpload-Offset: 0\r\nContent-Type: application/offset+octet-stream\r\n"
                    + "Content-Length: 5\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            String interim = new String(in.readNBytes("HTTP/1.1 100 Continue\r\n\r\n".length()), StandardCharsets.US_ASCII);
            assertThat(interim).startsWith("HTTP/1.1 100");
            socket.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
            String answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);

            assertThat(answer).startsWith("HTTP/1.1 204");
            assertThat(answer.split("\r\n")).filteredOn(line -> line.regionMatches(true, 0, "Date:", 0, 5)).hasSize(1);
        }
    }

    @Test
    void a_client_leaving_mid_download_is_one_line_without_a_stack_trace_and_counted_as_aborted() throws Exception {
        byte[] content = new byte[32 << 20];
        api.upload("/v1/files", "big.bin", content);
        lines.clear();

        try (Socket socket = new Socket("127.0.0.1", api.server.port())) {
            socket.setReceiveBufferSize(4096);
            socket.getOutputStream().write(("GET /v1/files/big.bin/content HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                    + api.key + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            in.readNBytes(64 * 1024);
            socket.setSoLinger(true, 0); // a reset, as a client killed mid-download
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (accessLines().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        Thread.sleep(300); // whatever else the server logs about it

        assertThat(accessLines()).singleElement().asString().contains("GET /v1/files/{name}/content 200")
                .contains(" aborted").doesNotContain("id=-");
        assertThat(lines).noneMatch(line -> line.contains("thrown=")).noneMatch(line -> line.startsWith("SEVERE"))
                .noneMatch(line -> line.startsWith("WARNING"));
        assertThat(lines.size()).as(String.join("\n", lines)).isLessThanOrEqualTo(2);
        assertThat(meters.get("files.http.requests").tags("route", "/v1/files/{name}/content", "code", "aborted")
                .timer().count()).isEqualTo(1);
    }

    private static String randomToken(Random random) {
        StringBuilder token = new StringBuilder();
        for (int i = 0, n = 4 + random.nextInt(12); i < n; i++) {
            token.append((char) ('A' + random.nextInt(26)));
        }
        return token.toString();
    }
}
