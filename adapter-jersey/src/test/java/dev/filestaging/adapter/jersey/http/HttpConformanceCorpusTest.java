package dev.filestaging.adapter.jersey.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.filestaging.adapter.jersey.ApiUnderTest;
import dev.filestaging.adapter.jersey.RawExchange;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An HTTP/1.1 conformance and smuggling corpus, sent byte for byte to the real server: framing (Content-Length and
 * Transfer-Encoding alone and together, codings, chunk sizes, extensions, trailers), request-line and header syntax,
 * empty lines before a request, pipelining and size limits. Each case gives the answers RFC 9112/9110 expect, in order,
 * and whether the connection must then be closed (after any framing error it must: nothing after it can be trusted).
 *
 * <p>Every refused case carries a second request behind it that deletes {@code victim.csv}, where a lenient parser
 * would find the start of the next request; after every case that file must still be there. Cases with a body write
 * to a fresh resumable upload, whose offset afterwards tells how many body bytes were taken.
 */
class HttpConformanceCorpusTest {
    private static final String SMUGGLED = "DELETE /v1/files/victim.csv HTTP/1.1\r\nHost: localhost\r\n"
            + "Authorization: Bearer {key}\r\n\r\n";
    /** A request that, if it ran, would be answered (401) on the connection. */
    private static final String INSIDE = "DELETE /v1/files/victim.csv HTTP/1.1\r\nHost: localhost\r\n\r\n";
    private static final String NEXT = "GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n";
    private static final String HELLO = "5\r\nhello\r\n0\r\n\r\n";
    /** Not checked: a body cut by a framing error keeps what arrived before it, as a body cut by the client does. */
    private static final long ANY = -1;

    private static ApiUnderTest api;
    private static int uploads;
    private String upload;

    /**
     * @param answers the statuses of the answers, in order
     * @param closed  the server closes the connection after them
     * @param stored  the body bytes the resumable upload holds afterwards, or {@link #ANY}
     */
    record Case(String name, String rfc, String request, List<Integer> answers, boolean closed, long stored) {
        @Override
        public String toString() {
            return name + " (" + rfc + ") -> " + answers + (closed ? ", closed" : "");
        }
    }

    static Stream<Case> corpus() {
        return Stream.of(
                // Content-Length and Transfer-Encoding
                refused("CL and TE together", "9112 6.3", patch("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n",
                        "0\r\n\r\n" + SMUGGLED), 400),
                refused("TE and then CL", "9112 6.3", patch("Transfer-Encoding: chunked\r\nContent-Length: 3\r\n",
                        HELLO + SMUGGLED), 400),
                refused("TE xchunked", "9112 6.1", patch("Transfer-Encoding: xchunked\r\n", HELLO + SMUGGLED), 501),
                refused("TE identity", "9112 6.1", patch("Transfer-Encoding: identity\r\n", HELLO + SMUGGLED), 501),
                refused("TE gzip, chunked", "9112 6.1", patch("Transfer-Encoding: gzip, chunked\r\n", HELLO + SMUGGLED),
                        501),
                refused("TE chunked, gzip", "9112 6.3", patch("Transfer-Encoding: chunked, gzip\r\n", HELLO + SMUGGLED),
                        400),
                refused("TE chunked on two lines", "9112 6.3", patch("Transfer-Encoding: chunked\r\n"
                        + "Transfer-Encoding: chunked\r\n", HELLO + SMUGGLED), 400),
                refused("TE empty", "9112 6.1", patch("Transfer-Encoding: \r\n", HELLO + SMUGGLED), 400),
                refused("TE with a space before the colon", "9112 5.1", patch("Transfer-Encoding : chunked\r\n",
                        HELLO + SMUGGLED), 400),
                refused("TE folded onto a second line", "9112 5.2", patch("Transfer-Encoding:\r\n chunked\r\n",
                        HELLO + SMUGGLED), 400),
                refused("TE after a vertical tab", "9110 5.5", patch("Transfer-Encoding:\u000bchunked\r\n",
                        HELLO + SMUGGLED), 400),
                refused("TE in an HTTP/1.0 request", "9112 6.1", patch("Transfer-Encoding: chunked\r\n", HELLO + SMUGGLED)
                        .replace(" HTTP/1.1\r\n", " HTTP/1.0\r\n"), 400),
                taken("TE CHUNKED in capitals", "9112 7", patch("Transfer-Encoding: CHUNKED\r\n", HELLO + NEXT), 5),
                taken("TE with tabs around and empty list elements", "9110 5.6.1",
                        patch("Transfer-Encoding:\t, chunked\t\r\n", HELLO + NEXT), 5),
                refused("two equal Content-Lengths", "9110 8.6", patch("Content-Length: 5\r\nContent-Length: 5\r\n",
                        "hello" + SMUGGLED), 400),
                refused("two different Content-Lengths", "9110 8.6", patch("Content-Length: 5\r\nContent-Length: 0\r\n",
                        "hello" + SMUGGLED), 400),
                refused("Content-Length list", "9110 8.6", patch("Content-Length: 5, 5\r\n", "hello" + SMUGGLED), 400),
                refused("Content-Length +5", "9110 8.6", patch("Content-Length: +5\r\n", "hello" + SMUGGLED), 400),
                refused("Content-Length -1", "9110 8.6", patch("Content-Length: -1\r\n", "hello" + SMUGGLED), 400),
                refused("Content-Length in hex", "9110 8.6", patch("Content-Length: 0x5\r\n", "hello" + SMUGGLED), 400),
                refused("Content-Length of 19 digits", "9110 8.6", patch("Content-Length: 1000000000000000000\r\n",
                        "hello" + SMUGGLED), 400),
                refused("Content-Length with letters", "9110 8.6", patch("Content-Length: 5a\r\n", "hello" + SMUGGLED),
                        400),
                taken("Content-Length and a pipelined request", "9112 6.2", patch("Content-Length: 5\r\n",
                        "hello" + NEXT), 5),
                // chunked bodies
                broken("chunk size not hex", "9112 7.1", patch("Transfer-Encoding: chunked\r\n", "zz\r\nhello\r\n0\r\n\r\n"
                        + SMUGGLED)),
                broken("chunk size negative", "9112 7.1", patch("Transfer-Encoding: chunked\r\n", "-5\r\nhello\r\n0\r\n\r\n"
                        + SMUGGLED)),
                broken("chunk size 0x5", "9112 7.1", patch("Transfer-Encoding: chunked\r\n", "0x5\r\nhello\r\n0\r\n\r\n"
                        + SMUGGLED)),
                broken("chunk size of 17 hex digits", "9112 7.1", patch("Transfer-Encoding: chunked\r\n",
                        "10000000000000005\r\nhello\r\n0\r\n\r\n" + SMUGGLED)),
                broken("chunk size after a space", "9112 7.1", patch("Transfer-Encoding: chunked\r\n",
                        " 5\r\nhello\r\n0\r\n\r\n" + SMUGGLED)),
                broken("chunk size before a space and no extension", "9112 7.1", patch("Transfer-Encoding: chunked\r\n",
                        "5 \r\nhello\r\n0\r\n\r\n" + SMUGGLED)),
                broken("chunk size line empty", "9112 7.1", patch("Transfer-Encoding: chunked\r\n", "\r\n" + SMUGGLED)),
                broken("chunk longer than its size", "9112 7.1", patch("Transfer-Encoding: chunked\r\n",
                        "3\r\nhello\r\n0\r\n\r\n" + SMUGGLED)),
                broken("chunk data not followed by CRLF", "9112 7.1", patch("Transfer-Encoding: chunked\r\n",
                        "5\r\nhelloXX0\r\n\r\n" + SMUGGLED)),
                broken("chunk lines ending in a bare LF", "9112 2.2", patch("Transfer-Encoding: chunked\r\n",
                        "5\nhello\n0\n\n" + SMUGGLED)),
                broken("chunk size line ending in a bare CR", "9112 2.2", patch("Transfer-Encoding: chunked\r\n",
                        "5\rhello\r\n0\r\n\r\n" + SMUGGLED)),
                broken("trailer line without a colon", "9112 7.1.2", patch("Transfer-Encoding: chunked\r\n",
                        "5\r\nhello\r\n0\r\nnot a field\r\n\r\n" + SMUGGLED)),
                broken("trailer folded", "9112 5.2", patch("Transfer-Encoding: chunked\r\n",
                        "5\r\nhello\r\n0\r\nX-A: a\r\n b\r\n\r\n" + SMUGGLED)),
                taken("chunk extensions ignored", "9112 7.1.1", patch("Transfer-Encoding: chunked\r\n",
                        "5;name=value\r\nhello\r\n0;last\r\n\r\n" + NEXT), 5),
                taken("chunk extension quoted, after whitespace", "9112 7.1.1", patch("Transfer-Encoding: chunked\r\n",
                        "5 ; a=\"b c\"\r\nhello\r\n0\r\n\r\n" + NEXT), 5),
                taken("chunk size with leading zeros", "9112 7.1", patch("Transfer-Encoding: chunked\r\n",
                        "0005\r\nhello\r\n00\r\n\r\n" + NEXT), 5),
                taken("trailer fields read and dropped", "9112 7.1.2", patch("Transfer-Encoding: chunked\r\n",
                        "5\r\nhello\r\n0\r\nX-Trailer: a\r\n\r\n" + NEXT), 5),
                taken("a request inside a chunk is data", "9112 7.1", patch("Transfer-Encoding: chunked\r\n",
                        Integer.toHexString(INSIDE.length()) + "\r\n" + INSIDE + "\r\n0\r\n\r\n" + NEXT),
                        INSIDE.length()),
                // the request line
                answered("an empty line before the request", "9112 2.2", "\r\n" + NEXT, List.of(200), false),
                answered("empty lines before a pipelined request", "9112 2.2", NEXT + "\r\n\r\n" + NEXT,
                        List.of(200, 200), false),
                refused("HTTP/2.0 on the request line", "9110 6.2", line("GET /health HTTP/2.0") + SMUGGLED, 505),
                refused("HTTP/3.0 on the request line", "9110 6.2", line("GET /health HTTP/3.0") + SMUGGLED, 505),
                answered("HTTP/1.2 served as HTTP/1.1", "9110 2.5", line("GET /health HTTP/1.2") + NEXT,
                        List.of(200, 200), false),
                refused("no version (HTTP/0.9)", "9112 3", "GET /health\r\n\r\n" + SMUGGLED, 400),
                refused("version in lower case", "9112 2.3", line("GET /health http/1.1") + SMUGGLED, 400),
                refused("version HTTP/1.10", "9112 2.3", line("GET /health HTTP/1.10") + SMUGGLED, 400),
                refused("two spaces after the method", "9112 3", line("GET  /health HTTP/1.1") + SMUGGLED, 400),
                refused("a tab between method and target", "9112 3", line("GET\t/health HTTP/1.1") + SMUGGLED, 400),
                refused("a space in the target", "9112 3.2", line("GET /hea lth HTTP/1.1") + SMUGGLED, 400),
                refused("a control byte in the target", "9112 3.2", line("GET /hea\u0001lth HTTP/1.1") + SMUGGLED, 400),
                refused("a non-ASCII byte in the target", "9112 3.2", line("GET /h\u00e9alth HTTP/1.1") + SMUGGLED, 400),
                refused("a CR in the method", "9110 9.1", line("GE\rT /health HTTP/1.1") + SMUGGLED, 400),
                refused("an LF in the method", "9110 9.1", line("GE\nT /health HTTP/1.1") + SMUGGLED, 400),
                refused("a quote in the method", "9110 9.1", line("GE\"T /health HTTP/1.1") + SMUGGLED, 400),
                refused("a brace in the method", "9110 9.1", line("{GET} /health HTTP/1.1") + SMUGGLED, 400),
                refused("DEL in the method", "9110 9.1", line("GET\u007f /health HTTP/1.1") + SMUGGLED, 400),
                refused("a non-ASCII method", "9110 9.1", line("G\u00c9T /health HTTP/1.1") + SMUGGLED, 400),
                answered("an unknown method", "9110 9.1", line("YABCDEFGHIJKL /health HTTP/1.1") + NEXT,
                        List.of(405, 200), false),
                answered("absolute-form target", "9112 3.2.2", line("GET http://localhost/health HTTP/1.1") + NEXT,
                        List.of(200, 200), false),
                // header fields
                refused("two Host headers", "9112 3.2", "GET /health HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n" + SMUGGLED,
                        400),
                refused("no Host in HTTP/1.1", "9112 3.2", "GET /health HTTP/1.1\r\n\r\n" + SMUGGLED, 400),
                answered("no Host in HTTP/1.0", "9112 3.2", "GET /health HTTP/1.0\r\n\r\n" + SMUGGLED, List.of(200),
                        true),
                refused("a Host that is no host", "9112 3.2", get("Host: local host\r\n").replace("Host: localhost\r\n",
                        "") + SMUGGLED, 400),
                refused("whitespace inside a field name", "9112 5.1", get("X Foo: a\r\n") + SMUGGLED, 400),
                refused("whitespace before the colon", "9112 5.1", get("X-Foo : a\r\n") + SMUGGLED, 400),
                refused("an empty field name", "9112 5.1", get(": a\r\n") + SMUGGLED, 400),
                refused("a non-ASCII field name", "9112 5.1", get("X-F\u00f6o: a\r\n") + SMUGGLED, 400),
                refused("a line without a colon", "9112 5.1", get("X-Foo\r\n") + SMUGGLED, 400),
                refused("NUL in a value", "9110 5.5", get("X-Foo: a\u0000b\r\n") + SMUGGLED, 400),
                refused("CR in a value", "9110 5.5", get("X-Foo: a\rb\r\n") + SMUGGLED, 400),
                refused("DEL in a value", "9110 5.5", get("X-Foo: a\u007fb\r\n") + SMUGGLED, 400),
                refused("a folded value", "9112 5.2", get("X-Foo: a\r\n b\r\n") + SMUGGLED, 400),
                refused("lines ending in a bare LF", "9112 2.2", "GET /health HTTP/1.1\nHost: localhost\n\n" + SMUGGLED,
                        400),
                answered("obs-text in a value", "9110 5.5", get("X-Foo: caf\u00e9\r\n") + NEXT, List.of(200, 200), false),
                // sizes
                refused("a request target of 10 KB", "9112 3 / 9110 15.5.15", line("GET /" + "a".repeat(10_000)
                        + " HTTP/1.1") + SMUGGLED, 414),
                refused("headers of 20 KB", "6585 5", get("X-Big: " + "a".repeat(20_000) + "\r\n") + SMUGGLED, 431),
                // pipelining
                answered("three pipelined requests", "9112 9.3.2", NEXT + NEXT + NEXT, List.of(200, 200, 200), false),
                answered("Connection: close ends the connection", "9112 9.6", get("Connection: close\r\n") + SMUGGLED,
                        List.of(200), true));
    }

    /** Refused by the parser before any body is read: nothing stored, the connection closed. */
    private static Case refused(String name, String rfc, String request, int status) {
        return new Case(name, rfc, request, List.of(status), true, 0);
    }

    /** A body whose framing breaks after the head: 400, the connection closed. */
    private static Case broken(String name, String rfc, String request) {
        return new Case(name, rfc, request, List.of(400), true, ANY);
    }

    /** A body taken: the PATCH is 204 with {@code stored} bytes, the pipelined request answered, the connection kept. */
    private static Case taken(String name, String rfc, String request, long stored) {
        return new Case(name, rfc, request, List.of(204, 200), false, stored);
    }

    private static Case answered(String name, String rfc, String request, List<Integer> answers, boolean closed) {
        return new Case(name, rfc, request, answers, closed, ANY);
    }

    /** A resumable upload's append, with these framing headers and this body. */
    private static String patch(String framing, String body) {
        return "PATCH {upload} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {key}\r\nTus-Resumable: 1.0.0\r\n"
                + "Upload-Offset: 0\r\nContent-Type: application/offset+octet-stream\r\n" + framing + "\r\n" + body;
    }

    private static String get(String headers) {
        return "GET /health HTTP/1.1\r\nHost: localhost\r\n" + headers + "\r\n";
    }

    private static String line(String requestLine) {
        return requestLine + "\r\nHost: localhost\r\n\r\n";
    }

    @BeforeAll
    static void start() throws Exception {
        api = new ApiUnderTest(ApiUnderTest.settings());
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @BeforeEach
    void victimAndUpload() throws Exception {
        if (api.get("/v1/files/victim.csv").statusCode() == 404) {
            api.upload("/v1/files", "victim.csv", "a,b\n".getBytes(StandardCharsets.UTF_8));
        }
        HttpResponse<String> created = api.send(api.authorized("/v1/uploads").header("Tus-Resumable", "1.0.0")
                .header("Upload-Length", "1000").header("Upload-Metadata", "filename " + java.util.Base64.getEncoder()
                        .encodeToString(("case" + ++uploads + ".bin").getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        upload = java.net.URI.create(ApiUnderTest.header(created, "Location")).getPath();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void each_case_gets_the_answer_the_rfc_expects_and_smuggles_nothing(Case c) throws Exception {
        byte[] request = c.request().replace("{key}", api.key).replace("{upload}", upload)
                .getBytes(StandardCharsets.ISO_8859_1);

        RawExchange.Result result = RawExchange.exchange(api.server.port(), request, 10_000, 300);

        assertThat(result.statuses()).as("answers").isEqualTo(c.answers());
        assertThat(result.closed()).as("connection closed").isEqualTo(c.closed());
        for (RawExchange.Answer answer : result.answers()) {
            if (answer.status() >= 400) {
                assertThat(answer.header("Content-Type")).isEqualTo("application/problem+json");
                assertThat(answer.header("Date")).isNotNull();
                assertThat(answer.header("X-Request-Id")).isNotNull();
                assertThat(answer.body()).contains("\"status\":" + answer.status())
                        .contains("/docs/problems#");
            }
        }
        assertThat(api.get("/v1/files/victim.csv").statusCode()).as("the smuggled DELETE never ran").isEqualTo(200);
        if (c.stored() != ANY) {
            HttpResponse<String> head = api.send(api.authorized(upload).header("Tus-Resumable", "1.0.0")
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()));
            assertThat(ApiUnderTest.header(head, "Upload-Offset")).as("body bytes taken")
                    .isEqualTo(Long.toString(c.stored()));
        }
    }
}
