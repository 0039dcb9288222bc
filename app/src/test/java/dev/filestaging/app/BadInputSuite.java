package dev.filestaging.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.filestaging.adapter.s3.testing.S3TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind of bad upload a client can send, and the client faults (gone half-way, trickling), against one running
 * app: each gets its documented answer, and after each every {@link Invariants invariant} holds. Accepted edge cases
 * (empty file, exactly the limit, chunked...) are checked to be stored byte for byte, then deleted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BadInputSuite {
    static final int LIMIT = 16 * 1024 * 1024;
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(2);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MULTIPART = "multipart/form-data; boundary=" + RawHttp.BOUNDARY;

    private Backend backend;
    private RunningApp app;
    private Invariants invariants;
    private Invariants.Baseline baseline;
    private ReliabilityReport report;

    abstract Backend backend() throws Exception;

    @BeforeAll
    void start() throws Exception {
        backend = backend();
        app = backend.start(Map.of(
                "FILES_MAX_UPLOAD_BYTES", Integer.toString(LIMIT),
                "FILES_HTTP_IDLE_TIMEOUT_SECONDS", Long.toString(IDLE_TIMEOUT.toSeconds()),
                "FILES_HTTP_MIN_UPLOAD_BYTES_PER_SECOND", "1000"));
        invariants = new Invariants(backend, app);
        report = new ReliabilityReport("bad-input", backend.name());
        // warm up every path once (small, multi-chunk, refused), so the baseline holds the pools' threads
        for (int i = 0; i < 3; i++) {
            assertThat(invariants.upload("warm-up-" + i + ".bin", new byte[300_000 * i]).status()).isEqualTo(201);
            assertThat(invariants.delete("warm-up-" + i + ".bin")).isEqualTo(204);
        }
        baseline = invariants.capture();
    }

    @Test
    void composed_and_decomposed_spellings_of_a_name_are_one_file() throws Exception {
        String composed = "caf\u00e9.csv";
        String decomposed = "cafe\u0301.csv";
        assertThat(invariants.upload(composed, "a\n".getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(201);

        RawHttp.Response second = invariants.upload(decomposed, "b\n".getBytes(StandardCharsets.UTF_8));

        assertThat(second.status()).as(second.body()).isEqualTo(409);
        assertThat(JSON.readTree(second.body()).get("code").asText()).isEqualTo("name_conflict");
        assertThat(invariants.delete(decomposed)).as("the NFD spelling names the same file").isEqualTo(204);
        Invariants.Drift drift = invariants.assertNothingChanged(baseline, decomposed);
        report.passed("NFC then NFD spelling of one name", "201, then 409 name_conflict; DELETE by either spelling",
                drift);
    }

    @AfterAll
    void stop() throws Exception {
        if (app != null) {
            String log = app.output();
            assertThat(log).as("the app's log").doesNotContain("\tat ", Backend.KEY, S3TestServer.SECRET_KEY);
            report.note("the app's log after all cases: " + log.lines().count() + " lines, no stack trace, no key or"
                    + " secret");
        }
        if (report != null) {
            report.write();
        }
        if (app != null) {
            app.close();
        }
    }

    /** How a case talks to the server. */
    interface Exchange {
        RawHttp.Response send(int port) throws Exception;
    }

    /**
     * One case: what is sent, the answer expected ({@code code} is the problem code; for 201 the file must be stored
     * as {@code stored}), and the name that must be usable afterwards (null when the name itself is the problem).
     */
    record Case(String title, Exchange exchange, int status, String code, String name, byte[] stored) {
        static Case refused(String title, Exchange exchange, int status, String code, String name) {
            return new Case(title, exchange, status, code, name, null);
        }

        static Case accepted(String title, Exchange exchange, String name, byte[] stored) {
            return new Case(title, exchange, 201, null, name, stored);
        }

        @Override
        public String toString() {
            return title;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void every_bad_upload_gets_its_answer_and_leaves_nothing_behind(Case c) throws Exception {
        long started = System.nanoTime();
        RawHttp.Response response = c.exchange().send(app.port);
        long millis = (System.nanoTime() - started) / 1_000_000;

        if (c.status() == 0) {
            assertThat(response.status()).as("the connection is closed without an answer: %s", response.body()).isZero();
        } else {
            assertThat(response.status()).as(response.body()).isEqualTo(c.status());
        }
        if (c.code() != null) {
            JsonNode problem = JSON.readTree(response.body());
            assertThat(problem.get("code").asText()).as(response.body()).isEqualTo(c.code());
            assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
            assertThat(response.body()).doesNotContain("Exception", "\tat ", Backend.KEY);
        }
        if (c.stored() != null) {
            JsonNode file = JSON.readTree(response.body());
            assertThat(file.get("name").asText()).isEqualTo(c.name());
            assertThat(file.get("sizeBytes").asLong()).isEqualTo(c.stored().length);
            String md5 = E2e.md5(c.stored());
            assertThat(file.get("digest").get("hash").asText()).isEqualTo(md5);
            assertThat(backend.storedDigests()).as("the bytes in storage").contains(md5);
            assertThat(invariants.delete(c.name())).isEqualTo(204);
        }
        Invariants.Drift drift = invariants.assertNothingChanged(baseline, c.name());
        report.passed(c.title(), (response.status() == 0 ? "no answer (client gone)" : response.status()
                + (c.code() != null ? " " + c.code() : "")) + " in " + millis + " ms", drift);
    }

    // ---- the cases ----

    Stream<Case> cases() throws Exception {
        byte[] csv = "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8);
        int framing = RawHttp.multipartBody("exact.bin", new byte[0]).length;
        byte[] exact = random(LIMIT - framing);
        byte[] overByOne = random(LIMIT - framing + 1);
        byte[] bomb = gzip(new byte[64 * 1024 * 1024]);
        byte[] gzippedCsv = gzip("x,y\n".repeat(1000).getBytes(StandardCharsets.UTF_8));
        String md5OfCsv = Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(csv));
        String otherMd5 = Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(new byte[1]));
        byte[] longBody = RawHttp.multipartBody("long.csv", random(10_000));
        byte[] unfinished = java.util.Arrays.copyOf(longBody, longBody.length - 20); // no closing delimiter
        byte[] cut = RawHttp.multipartBody("cut.csv", random(100_000));
        return Stream.of(
                // sizes and framing
                Case.accepted("empty file", send(upload("empty.csv", new byte[0])), "empty.csv", new byte[0]),
                Case.accepted("exactly the size limit on the wire", send(upload("exact.bin", exact)), "exact.bin", exact),
                Case.refused("one byte over the limit, declared", send(upload("exact.bin", overByOne)),
                        413, "upload_too_large", "exact.bin"),
                Case.refused("one byte over the limit, chunked without a length",
                        send(chunked(RawHttp.multipartBody("exact.bin", overByOne))), 413, "upload_too_large", "exact.bin"),
                Case.accepted("chunked body without a length", send(chunked(RawHttp.multipartBody("chunked.csv", csv))),
                        "chunked.csv", csv),
                Case.refused("Content-Length shorter than the body (cut inside the file)",
                        send(declaring(5_000, RawHttp.multipartBody("short.csv", random(10_000)))),
                        400, "malformed_multipart", "short.csv"),
                Case.refused("Content-Length longer than the body, client then closes its side (connection closed"
                                + " without an answer)", sendAndHalfClose(declaring(unfinished.length + 1_000, unfinished)),
                        0, null, "long.csv"),
                Case.refused("Content-Length longer than the body, client then waits",
                        send(declaring(unfinished.length + 1_000, unfinished)), 408, "request_timeout", "long.csv"),
                Case.accepted("Content-Length longer than a complete multipart body (answered at the closing delimiter)",
                        send(declaring(RawHttp.multipartBody("complete.csv", csv).length + 1_000,
                                RawHttp.multipartBody("complete.csv", csv))), "complete.csv", csv),
                Case.refused("not multipart", send(RawHttp.concat(RawHttp.uploadHead(Backend.AUTH,
                        "application/octet-stream", "Content-Length: 8\r\n", ""), csv)), 415, "not_multipart", null),
                Case.refused("multipart without a boundary", send(RawHttp.concat(RawHttp.uploadHead(Backend.AUTH,
                        "multipart/form-data", "Content-Length: 8\r\n", ""), csv)), 400, "malformed_multipart", null),
                Case.refused("wrong boundary", send(withContentType("multipart/form-data; boundary=other",
                        RawHttp.multipartBody("wrong.csv", csv))), 400, "malformed_multipart", "wrong.csv"),
                Case.refused("body truncated inside the file, client closes its side (connection closed without an"
                                + " answer)", sendAndHalfClose(declaring(cut.length, java.util.Arrays.copyOf(cut, cut.length / 2))),
                        0, null, "cut.csv"),
                Case.refused("no file part, only a text field", send(form("--" + RawHttp.BOUNDARY
                        + "\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n--" + RawHttp.BOUNDARY
                        + "--\r\n")), 400, "missing_file", null),
                Case.refused("two file parts", send(form(twoFiles(csv))), 400, "multiple_files", "first.csv"),
                Case.refused("10,000 tiny parts before the file", send(form(tinyParts(10_000) + fileTail(csv, "many.csv"))),
                        400, "too_many_parts", "many.csv"),
                Case.refused("part headers over 8 KiB", send(upload("filename=\"big-header.csv\"",
                        "X-Padding: " + "p".repeat(9000) + "\r\n", csv)), 400, "malformed_multipart", "big-header.csv"),
                Case.refused("unknown dataFormat", send(RawHttp.concat(("POST /v1/files?dataFormat=xls HTTP/1.1\r\n"
                        + "Host: x\r\n" + Backend.AUTH + "\r\nContent-Type: " + MULTIPART + "\r\nContent-Length: "
                        + RawHttp.multipartBody("fmt.csv", csv).length + "\r\n\r\n").getBytes(StandardCharsets.UTF_8),
                        RawHttp.multipartBody("fmt.csv", csv))), 400, "unknown_data_format", "fmt.csv"),
                // names
                invalidName("name with ../", "../escape.csv"),
                invalidName("name with /", "dir/file.csv"),
                invalidName("name with a backslash", "dir\\file.csv"),
                Case.refused("raw NUL in the part's headers", send(upload("filename=\"nul\u0000.csv\"", "", csv)), 400,
                        "malformed_multipart", null),
                Case.refused("raw control character in the part's headers", send(upload("filename=\"bell\u0007.csv\"", "",
                        csv)), 400, "malformed_multipart", null),
                Case.refused("name with NUL (filename*=)", send(upload("filename*=UTF-8''nul%00.csv", "", csv)), 400,
                        "invalid_file_name", null),
                Case.refused("name with a control character (filename*=)", send(upload("filename*=UTF-8''bell%07.csv", "",
                        csv)), 400, "invalid_file_name", null),
                invalidName("name '.'", "."),
                invalidName("name '..'", ".."),
                invalidName("empty name", ""),
                invalidName("name of 256 characters", "n".repeat(252) + ".csv"),
                Case.refused("name with CR LF (filename*=)", send(upload("filename*=UTF-8''crlf%0D%0Ainjected.csv", "",
                        csv)), 400, "invalid_file_name", null),
                Case.refused("raw CR LF inside the filename breaks the part's headers", send(upload(
                        "filename=\"crlf\r\ninjected.csv\"", "", csv)), 400, "malformed_multipart", null),
                Case.accepted("filename*= RFC 5987 form", send(upload("filename*=UTF-8''%E2%82%AC%20rates.csv", "", csv)),
                        "€ rates.csv", csv),
                Case.refused("a tab inside the quoted file name (refused, never turned into a space)",
                        send(upload("filename=\"tab\tbed.csv\"", "", csv)), 400, "invalid_file_name", null),
                Case.accepted("leading and trailing spaces in the file name (kept exactly)",
                        send(upload("filename=\"  spaced.csv \"", "", csv)), "  spaced.csv ", csv),
                Case.accepted("BOUNDARY= in upper case", send(withContentType("multipart/form-data; BOUNDARY="
                        + RawHttp.BOUNDARY, RawHttp.multipartBody("upper.csv", csv))), "upper.csv", csv),
                // content
                Case.accepted("gzip content under a .csv name (content wins)", send(upload("lying.csv", gzippedCsv)),
                        "lying.csv", gzippedCsv),
                Case.refused("ZIP content under a .csv name", send(upload("zipped.csv", zip(csv))), 400,
                        "zip_not_supported", "zipped.csv"),
                Case.accepted("gzip bomb (64 MiB of zeros in " + bomb.length / 1024 + " KiB), detection bounded",
                        send(upload("bomb.json.gz", bomb)), "bomb.json.gz", bomb),
                Case.accepted("corrupt gzip (stored as sent, reported as gz)",
                        send(upload("corrupt.csv.gz", corruptGzip())), "corrupt.csv.gz", corruptGzip()),
                Case.accepted("Content-MD5 that matches", send(withHeader("Content-MD5: " + md5OfCsv,
                        RawHttp.multipartBody("md5.csv", csv))), "md5.csv", csv),
                Case.refused("Content-MD5 malformed", send(withHeader("Content-MD5: not-a-digest",
                        RawHttp.multipartBody("md5.csv", csv))), 400, "malformed_content_md5", "md5.csv"),
                Case.refused("Content-MD5 wrong", send(withHeader("Content-MD5: " + otherMd5,
                        RawHttp.multipartBody("md5.csv", csv))), 400, "digest_mismatch", "md5.csv"),
                Case.refused("Content-MD5 wrong, on the file part", send(upload("filename=\"md5.csv\"",
                        "Content-MD5: " + otherMd5 + "\r\n", csv)), 400, "digest_mismatch", "md5.csv"),
                // client faults
                Case.refused("client disconnects at 50% of 12 MiB", port -> disconnectHalfWay(port, "half.bin"),
                        0, null, "half.bin"),
                Case.refused("slow client at 1 byte/s", port -> trickle(port, "slow.csv"), 408, "request_timeout",
                        "slow.csv"),
                // resumable uploads (tus): every case ends the upload, after which nothing of it may be left
                Case.refused("tus: a PATCH whose Upload-Checksum does not match (the upload then terminated)",
                        port -> tusThenTerminate(port, "tus-sum.csv", 8, "Upload-Checksum: md5 " + otherMd5 + "\r\n",
                                csv), 460, "checksum_mismatch", "tus-sum.csv"),
                Case.refused("tus: more bytes than Upload-Length (the upload then terminated)",
                        port -> tusThenTerminate(port, "tus-long.csv", 4, "", csv), 400, "length_mismatch",
                        "tus-long.csv"),
                Case.refused("tus: a PATCH cut by the client after 1 MiB of 4 (the upload then terminated)",
                        port -> tusThenTerminate(port, "tus-cut.csv", 4 << 20, null, random(1 << 20)), 204, null,
                        "tus-cut.csv"));
    }

    /**
     * Creates a resumable upload of {@code length} bytes, sends one PATCH of {@code content} with {@code extraHeaders}
     * (null: a body cut short, the client closing its side) and terminates the upload. Answers the PATCH's response,
     * or for a cut PATCH the termination's.
     */
    private static RawHttp.Response tusThenTerminate(int port, String name, long length, String extraHeaders,
                                                     byte[] content) throws Exception {
        Tus tus = new Tus(port);
        String upload = tus.create(name, length);
        RawHttp.Response patched = extraHeaders == null
                ? tus.patchCut(upload, content, length)
                : tus.patch(upload, 0, content, 0, content.length, extraHeaders);
        RawHttp.Response terminated = tus.terminate(upload);
        for (int retry = 0; terminated.status() == 423 && retry < 50; retry++) { // the cut PATCH is still ending
            Thread.sleep(100);
            terminated = tus.terminate(upload);
        }
        assertThat(terminated.status()).as(terminated.body()).isEqualTo(204);
        return extraHeaders == null ? terminated : patched;
    }

    private Case invalidName(String title, String name) {
        byte[] csv = "a\n".getBytes(StandardCharsets.UTF_8);
        return Case.refused(title, send(upload("filename=\"" + name + "\"", "", csv)), 400, "invalid_file_name", null);
    }

    // ---- building requests ----

    private static Exchange send(byte[] request) {
        return port -> RawHttp.exchange(port, request, false, Duration.ofSeconds(30));
    }

    private static Exchange sendAndHalfClose(byte[] request) {
        return port -> RawHttp.exchange(port, request, true, Duration.ofSeconds(30));
    }

    private static byte[] upload(String name, byte[] content) {
        return RawHttp.upload(Backend.AUTH, RawHttp.multipartBody(name, content), "");
    }

    private static byte[] upload(String dispositionParameters, String partHeaders, byte[] content) {
        return RawHttp.upload(Backend.AUTH, RawHttp.multipartBody(dispositionParameters, partHeaders, content), "");
    }

    private static byte[] withHeader(String header, byte[] body) {
        return RawHttp.upload(Backend.AUTH, body, header + "\r\n");
    }

    private static byte[] withContentType(String contentType, byte[] body) {
        return RawHttp.concat(RawHttp.uploadHead(Backend.AUTH, contentType, "Content-Length: " + body.length + "\r\n",
                ""), body);
    }

    /** Declares {@code declared} bytes, whatever the body's real length. */
    private static byte[] declaring(long declared, byte[] body) {
        return RawHttp.concat(RawHttp.uploadHead(Backend.AUTH, MULTIPART, "Content-Length: " + declared + "\r\n", ""), body);
    }

    private static byte[] form(String body) {
        return RawHttp.upload(Backend.AUTH, body.getBytes(StandardCharsets.UTF_8), "");
    }

    private static byte[] chunked(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(RawHttp.uploadHead(Backend.AUTH, MULTIPART, "Transfer-Encoding: chunked\r\n", ""));
        for (int offset = 0; offset < body.length; offset += 4096) {
            int n = Math.min(4096, body.length - offset);
            out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, offset, n);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static String twoFiles(byte[] csv) {
        String text = new String(csv, StandardCharsets.UTF_8);
        return "--" + RawHttp.BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"first.csv\"\r\n\r\n"
                + text + "\r\n--" + RawHttp.BOUNDARY
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"second.csv\"\r\n\r\n"
                + text + "\r\n--" + RawHttp.BOUNDARY + "--\r\n";
    }

    private static String tinyParts(int count) {
        StringBuilder parts = new StringBuilder();
        for (int i = 0; i < count; i++) {
            parts.append("--").append(RawHttp.BOUNDARY).append("\r\nContent-Disposition: form-data; name=\"f")
                    .append(i).append("\"\r\n\r\nv\r\n");
        }
        return parts.toString();
    }

    private static String fileTail(byte[] csv, String name) {
        return "--" + RawHttp.BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name
                + "\"\r\n\r\n" + new String(csv, StandardCharsets.UTF_8) + "\r\n--" + RawHttp.BOUNDARY + "--\r\n";
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    private static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(content);
        }
        return out.toByteArray();
    }

    private static byte[] corruptGzip() {
        byte[] bytes = random(5_000);
        bytes[0] = 0x1f;
        bytes[1] = (byte) 0x8b;
        bytes[2] = 8;
        bytes[3] = 0;
        return bytes;
    }

    private static byte[] zip(byte[] content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("inside.csv"));
            zip.write(content);
        }
        return out.toByteArray();
    }

    // ---- client faults ----

    /**
     * Sends the head and half of a 12 MiB file (on S3, a part is going up by then), then drops the connection: no
     * answer can reach the client.
     */
    private static RawHttp.Response disconnectHalfWay(int port, String name) throws Exception {
        try (Socket socket = E2e.halfUpload(port, Backend.AUTH, name, 12 * 1024 * 1024)) {
            Thread.sleep(200);
            socket.setSoLinger(true, 0); // a reset, as when a client process dies
        }
        return new RawHttp.Response(0, Map.of(), "");
    }

    /** Sends the head, then the file one byte a second, until the server answers. */
    private static RawHttp.Response trickle(int port, String name) throws Exception {
        byte[] body = RawHttp.multipartBody(name, random(1000));
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            byte[] head = RawHttp.uploadHead(Backend.AUTH, MULTIPART, "Content-Length: " + body.length + "\r\n", "");
            out.write(head);
            out.write(body, 0, 100);
            out.flush();
            socket.setSoTimeout(1000);
            for (int i = 100; i < body.length; i++) {
                try {
                    out.write(body[i]);
                    out.flush();
                } catch (IOException closedByServer) {
                    break;
                }
                if (socket.getInputStream().available() > 0) {
                    break;
                }
                Thread.sleep(1000);
                if (i > 100 + 60) {
                    throw new AssertionError("the server still took bytes at 1 byte/s after 60 s");
                }
            }
            socket.setSoTimeout(10_000);
            return RawHttp.read(socket.getInputStream());
        }
    }
}
