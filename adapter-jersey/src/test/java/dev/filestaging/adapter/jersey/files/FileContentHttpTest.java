package dev.filestaging.adapter.jersey.files;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.filestaging.adapter.jersey.ApiUnderTest;
import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.Role;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Reading staged bytes over HTTP: whole, ranged, conditional, HEAD; against a real server and the real domain. */
class FileContentHttpTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final OrganizationId ORG = new OrganizationId("default");
    private static final String CSV = "id,name\n1,alpha\n2,beta\n";

    private ApiUnderTest api;

    @BeforeEach
    void start() throws Exception {
        api = new ApiUnderTest(ApiUnderTest.settings());
        upload("/v1/files", "data.csv", CSV.getBytes(StandardCharsets.UTF_8));
    }

    @AfterEach
    void stop() throws Exception {
        // every answer, whole, ranged, 304, 412, 416 or 503, has let go of what it opened
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (api.store.openReads() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        int leaked = api.store.openReads();
        api.close();
        assertThat(leaked).as("reads left open").isZero();
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        return api.get(path, headers);
    }

    private HttpResponse<String> upload(String base, String name, byte[] content) throws Exception {
        return api.upload(base, name, content);
    }

    private HttpRequest.Builder authorized(String path) {
        return api.authorized(path);
    }

    private static String header(HttpResponse<?> response, String name) {
        return ApiUnderTest.header(response, name);
    }

    @Test
    void the_content_is_the_stored_bytes_with_the_metadatas_etag_and_what_downloaders_need() throws Exception {
        HttpResponse<String> metadata = get("/v1/files/data.csv");
        HttpResponse<String> content = get("/v1/files/data.csv/content");

        assertThat(content.statusCode()).isEqualTo(200);
        assertThat(content.body()).isEqualTo(CSV);
        assertThat(header(content, "Content-Length")).isEqualTo(Integer.toString(CSV.length()));
        assertThat(header(content, "Accept-Ranges")).isEqualTo("bytes");
        assertThat(header(content, "ETag")).isEqualTo(header(metadata, "ETag")).startsWith("\"");
        assertThat(header(content, "Content-Type")).isEqualTo("text/csv");
        assertThat(header(content, "Content-Disposition"))
                .isEqualTo("attachment; filename=\"data.csv\"; filename*=UTF-8''data.csv");
        assertThat(header(content, "Content-Encoding")).isNull();
        ZonedDateTime lastModified = ZonedDateTime.parse(header(content, "Last-Modified"),
                DateTimeFormatter.RFC_1123_DATE_TIME);
        assertThat(lastModified.toInstant().getEpochSecond()).isEqualTo(java.time.Instant.parse(
                JSON.readTree(metadata.body()).get("uploadedOnDatetime").asText()).getEpochSecond());
    }

    @Test
    void a_gzipped_file_is_sent_as_gzip_bytes_never_as_a_content_encoding() throws Exception {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write("{\"a\":1}\n".getBytes(StandardCharsets.UTF_8));
        }
        upload("/v1/files", "events.json.gz", gz.toByteArray());

        HttpResponse<byte[]> content = api.client.send(authorized("/v1/files/events.json.gz/content")
                .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());

        assertThat(content.body()).isEqualTo(gz.toByteArray());
        assertThat(header(content, "Content-Type")).isEqualTo("application/gzip");
        assertThat(header(content, "Content-Encoding")).isNull();
    }

    @Test
    void single_ranges_are_206_with_content_range() throws Exception {
        int size = CSV.length();
        assertPart(get("/v1/files/data.csv/content", "Range", "bytes=0-0"), "i", "bytes 0-0/" + size);
        assertPart(get("/v1/files/data.csv/content", "Range", "bytes=-5"), "beta\n",
                "bytes " + (size - 5) + "-" + (size - 1) + "/" + size);
        assertPart(get("/v1/files/data.csv/content", "Range", "bytes=8-"), CSV.substring(8),
                "bytes 8-" + (size - 1) + "/" + size);
        assertPart(get("/v1/files/data.csv/content", "Range", "bytes=3-99999999999999999999999"), CSV.substring(3),
                "bytes 3-" + (size - 1) + "/" + size);
        assertPart(get("/v1/files/data.csv/content", "Range", "BYTES = 1-2"), "d,", "bytes 1-2/" + size);
        assertPart(get("/v1/files/data.csv/content", "Range", "bytes=0-"), CSV, "bytes 0-" + (size - 1) + "/" + size);
    }

    private static void assertPart(HttpResponse<String> response, String body, String contentRange) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(206);
        assertThat(response.body()).isEqualTo(body);
        assertThat(header(response, "Content-Range")).isEqualTo(contentRange);
        assertThat(header(response, "Content-Length")).isEqualTo(Integer.toString(body.length()));
    }

    @Test
    void a_range_past_the_end_is_416_with_the_size_and_malformed_or_multiple_ranges_get_the_whole_file()
            throws Exception {
        HttpResponse<String> past = get("/v1/files/data.csv/content", "Range", "bytes=" + CSV.length() + "-");
        assertThat(past.statusCode()).isEqualTo(416);
        assertThat(header(past, "Content-Range")).isEqualTo("bytes */" + CSV.length());
        assertThat(JSON.readTree(past.body()).get("code").asText()).isEqualTo("range_not_satisfiable");

        for (String ignored : List.of("bytes=abc", "bytes=5-2", "items=0-3", "bytes=0-1,4-5", "bytes=-")) {
            HttpResponse<String> whole = get("/v1/files/data.csv/content", "Range", ignored);
            assertThat(whole.statusCode()).as(ignored).isEqualTo(200);
            assertThat(whole.body()).as(ignored).isEqualTo(CSV);
        }
    }

    @Test
    void an_empty_file_read_as_druid_does_with_bytes_0_is_200_and_empty() throws Exception {
        upload("/v1/files", "empty.csv", new byte[0]);

        HttpResponse<String> response = get("/v1/files/empty.csv/content", "Range", "bytes=0-");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEmpty();
        assertThat(header(response, "Content-Length")).isEqualTo("0");
    }

    @Test
    void if_range_serves_the_range_only_for_the_same_version() throws Exception {
        String etag = header(get("/v1/files/data.csv"), "ETag");
        String lastModified = header(get("/v1/files/data.csv/content"), "Last-Modified");

        assertThat(get("/v1/files/data.csv/content", "Range", "bytes=0-1", "If-Range", etag).statusCode())
                .isEqualTo(206);
        assertThat(get("/v1/files/data.csv/content", "Range", "bytes=0-1", "If-Range", lastModified).statusCode())
                .as("a date is never a strong validator here (ConditionalRequestsHttpTest)").isEqualTo(200);
        HttpResponse<String> changed = get("/v1/files/data.csv/content", "Range", "bytes=0-1",
                "If-Range", "\"another-version\"");
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(changed.body()).isEqualTo(CSV);
        assertThat(get("/v1/files/data.csv/content", "Range", "bytes=0-1", "If-Range", "W/" + etag).statusCode())
                .as("a weak tag never matches").isEqualTo(200);
    }

    @Test
    void if_none_match_is_304_and_a_failed_if_match_412() throws Exception {
        String etag = header(get("/v1/files/data.csv"), "ETag");

        int opened = api.store.readsOpened();
        HttpResponse<String> unchanged = get("/v1/files/data.csv/content", "If-None-Match", etag);
        assertThat(unchanged.statusCode()).isEqualTo(304);
        assertThat(unchanged.body()).isEmpty();
        assertThat(header(unchanged, "ETag")).isEqualTo(etag);
        assertThat(get("/v1/files/data.csv/content", "If-Match", "\"other\"").statusCode()).isEqualTo(412);
        assertThat(api.store.readsOpened()).as("a 304 or a 412 opens nothing in storage").isEqualTo(opened);
        assertThat(get("/v1/files/data.csv/content", "If-None-Match", "\"other\"").statusCode()).isEqualTo(200);
        assertThat(get("/v1/files/data.csv/content", "If-Match", etag).statusCode()).isEqualTo(200);
    }

    @Test
    void head_answers_the_headers_of_get_without_a_body() throws Exception {
        HttpResponse<String> head = api.client.send(authorized("/v1/files/data.csv/content")
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> ranged = api.client.send(authorized("/v1/files/data.csv/content").header("Range", "bytes=-4")
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(header(head, "Content-Length")).isEqualTo(Integer.toString(CSV.length()));
        assertThat(header(head, "Accept-Ranges")).isEqualTo("bytes");
        assertThat(header(head, "ETag")).isEqualTo(header(get("/v1/files/data.csv"), "ETag"));
        assertThat(ranged.statusCode()).isEqualTo(206);
        assertThat(header(ranged, "Content-Range")).endsWith("/" + CSV.length());
    }

    @Test
    void missing_files_are_404_and_odd_names_project_areas_and_read_only_keys_work() throws Exception {
        assertThat(get("/v1/files/nothing.csv/content").statusCode()).isEqualTo(404);
        String name = "r\u00e9sum\u00e9;v2 (final) 100%.csv";
        upload("/v1/projects/p1/files", name, "x\n".getBytes(StandardCharsets.UTF_8));

        String path = "/v1/projects/p1/files/" + FilesResource.encodeSegment(name).replace("%3B", ";") + "/content";
        HttpResponse<String> content = get(path);
        assertThat(content.statusCode()).as(content.body()).isEqualTo(200);
        assertThat(content.body()).isEqualTo("x\n");
        assertThat(header(content, "Content-Disposition")).isEqualTo(
                "attachment; filename=\"r_sum_;v2 (final) 100_.csv\"; filename*=UTF-8''r%C3%A9sum%C3%A9%3Bv2%20%28final%29%20100%25.csv");
        assertThat(get("/v1/files/" + FilesResource.encodeSegment(name) + "/content").statusCode())
                .as("another project").isEqualTo(404);

        api.key = api.apiKeys.issue(ApiUnderTest.ORG, Set.of(Role.READ_FILES)).secret();
        assertThat(get("/v1/files/data.csv/content").body()).isEqualTo(CSV);
    }

    @Test
    void a_reader_that_stops_reading_holds_one_transfer_slot_and_the_server_keeps_answering() throws Exception {
        api.close();
        api = new ApiUnderTest(ApiUnderTest.settings().withMaxConcurrentUploads(1));
        upload("/v1/files", "data.csv", CSV.getBytes(StandardCharsets.UTF_8));
        upload("/v1/files", "big.bin", new byte[48 << 20]);
        java.net.Socket stalled = new java.net.Socket("127.0.0.1", api.server.port());
        stalled.setReceiveBufferSize(4096);
        stalled.getOutputStream().write(("GET /v1/files/big.bin/content HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                + api.key + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        stalled.getInputStream().read(new byte[1024]); // the answer has begun; now read nothing more

        HttpResponse<String> refused = get("/v1/files/data.csv/content");
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(refused.body()).get("code").asText()).isEqualTo("too_many_downloads");
        assertThat(header(refused, "Retry-After")).isEqualTo("5");
        assertThat(get("/v1/files/data.csv").statusCode()).as("metadata still answers").isEqualTo(200);

        stalled.close(); // the writer fails, the slot is freed
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        int status;
        do {
            Thread.sleep(50);
            status = get("/v1/files/data.csv/content").statusCode();
        } while (status == 503 && System.nanoTime() < deadline);
        assertThat(status).isEqualTo(200);
    }
}
