package dev.filestaging.adapter.jersey.tus;

import static dev.filestaging.adapter.jersey.ApiUnderTest.header;
import static org.assertj.core.api.Assertions.assertThat;

import dev.filestaging.adapter.jersey.ApiUnderTest;
import dev.filestaging.adapter.jersey.MultipartBody;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** tus 1.0.0 over HTTP, with the JDK's client speaking the protocol by hand. */
class TusHttpTest {

    private ApiUnderTest api;

    @BeforeEach
    void start() throws Exception {
        api = new ApiUnderTest(ApiUnderTest.settings());
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> create(String name, long length) throws Exception {
        return api.send(api.authorized("/v1/uploads").header("Tus-Resumable", "1.0.0")
                .header("Upload-Length", Long.toString(length))
                .header("Upload-Metadata", "filename " + b64(name) + ",filetype " + b64("text/csv"))
                .POST(HttpRequest.BodyPublishers.noBody()));
    }

    private HttpResponse<String> patch(String location, long offset, byte[] bytes, String... headers) throws Exception {
        HttpRequest.Builder request = api.authorized(location).header("Tus-Resumable", "1.0.0")
                .header("Upload-Offset", Long.toString(offset))
                .header("Content-Type", "application/offset+octet-stream");
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return api.send(request.method("PATCH", HttpRequest.BodyPublishers.ofByteArray(bytes)));
    }

    private HttpResponse<String> head(String location) throws Exception {
        return api.send(api.authorized(location).header("Tus-Resumable", "1.0.0")
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
    }

    private static String path(HttpResponse<?> created) {
        return java.net.URI.create(header(created, "Location")).getPath();
    }

    @Test
    void discovery_needs_no_credentials_and_names_the_extensions() throws Exception {
        HttpResponse<String> options = api.client.send(HttpRequest.newBuilder(api.uri("/v1/uploads"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(options.statusCode()).isEqualTo(204);
        assertThat(header(options, "Tus-Version")).isEqualTo("1.0.0");
        assertThat(header(options, "Tus-Extension")).contains("creation", "creation-defer-length", "expiration",
                "checksum", "termination", "creation-with-upload");
        assertThat(header(options, "Tus-Max-Size")).isEqualTo(Long.toString(ApiUnderTest.MAX_RESUMABLE_BYTES));
        assertThat(header(options, "Tus-Checksum-Algorithm")).isEqualTo("md5,sha1,sha256");
    }

    @Test
    void an_upload_in_three_patches_is_staged_on_its_last_byte_with_the_md5_of_the_whole() throws Exception {
        byte[] content = "id,name\n1,one\n2,two\n3,three\n".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> created = create("tus.csv", content.length);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(header(created, "Tus-Resumable")).isEqualTo("1.0.0");
        assertThat(header(created, "Upload-Expires")).endsWith("GMT");
        String location = path(created);
        assertThat(location).startsWith("/v1/uploads/");

        assertThat(header(head(location), "Upload-Offset")).isEqualTo("0");
        assertThat(header(head(location), "Upload-Metadata")).contains("filename " + b64("tus.csv"));
        assertThat(patch(location, 0, Arrays.copyOfRange(content, 0, 5)).statusCode()).isEqualTo(204);
        HttpResponse<String> second = patch(location, 5, Arrays.copyOfRange(content, 5, 20));
        assertThat(header(second, "Upload-Offset")).isEqualTo("20");
        assertThat(api.get("/v1/files").body()).as("nothing is listed before the last byte").doesNotContain("tus.csv");
        HttpResponse<String> last = patch(location, 20, Arrays.copyOfRange(content, 20, content.length));

        assertThat(last.statusCode()).isEqualTo(204);
        assertThat(header(last, "Upload-Offset")).isEqualTo(Integer.toString(content.length));
        assertThat(header(last, "Staged-File")).isEqualTo("/v1/files/tus.csv");
        HttpResponse<String> file = api.get("/v1/files/tus.csv");
        assertThat(file.body()).contains(HexFormat.of().withUpperCase()
                .formatHex(MessageDigest.getInstance("MD5").digest(content))).contains("\"dataFormat\":\"csv\"");
        assertThat(header(head(location), "Staged-File")).as("HEAD after the end").isEqualTo("/v1/files/tus.csv");
        HttpResponse<String> confirmation = patch(location, content.length, new byte[0]);
        assertThat(confirmation.statusCode()).as("an empty PATCH at the end, as tus-java-client sends").isEqualTo(204);
        assertThat(header(confirmation, "Upload-Offset")).isEqualTo(Integer.toString(content.length));
        assertThat(api.get("/v1/files/tus.csv/content").body().getBytes(StandardCharsets.UTF_8)).isEqualTo(content);
    }

    @Test
    void protocol_errors_are_problems_with_codes_and_change_nothing() throws Exception {
        String location = path(create("errors.csv", 10));

        HttpResponse<String> noVersion = api.send(api.authorized(location).method("HEAD",
                HttpRequest.BodyPublishers.noBody()));
        assertThat(noVersion.statusCode()).isEqualTo(412);
        assertThat(header(noVersion, "Tus-Version")).isEqualTo("1.0.0");
        HttpResponse<String> wrongOffset = patch(location, 3, new byte[2]);
        assertThat(wrongOffset.statusCode()).isEqualTo(409);
        assertThat(wrongOffset.body()).contains("\"code\":\"offset_mismatch\"");
        HttpResponse<String> badChecksum = patch(location, 0, "abcde".getBytes(StandardCharsets.UTF_8),
                "Upload-Checksum", "sha1 " + Base64.getEncoder().encodeToString(new byte[20]));
        assertThat(badChecksum.statusCode()).isEqualTo(460);
        assertThat(badChecksum.body()).contains("\"code\":\"checksum_mismatch\"");
        HttpResponse<String> goodChecksum = patch(location, 0, "abcde".getBytes(StandardCharsets.UTF_8),
                "Upload-Checksum", "sha1 " + Base64.getEncoder().encodeToString(
                        MessageDigest.getInstance("SHA-1").digest("abcde".getBytes(StandardCharsets.UTF_8))));
        assertThat(goodChecksum.statusCode()).isEqualTo(204);
        assertThat(patch(location, 5, new byte[1], "Upload-Checksum", "crc32 AAAA").body())
                .contains("\"code\":\"unsupported_checksum\"");
        HttpResponse<String> tooLong = patch(location, 5, new byte[6]);
        assertThat(tooLong.body()).contains("\"code\":\"length_mismatch\"");
        HttpResponse<String> wrongType = api.send(api.authorized(location).header("Tus-Resumable", "1.0.0")
                .header("Upload-Offset", "5").header("Content-Type", "text/plain")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("x")));
        assertThat(wrongType.statusCode()).isEqualTo(415);

        assertThat(header(head(location), "Upload-Offset")).isEqualTo("5");
    }

    @Test
    void the_name_is_reserved_at_creation_against_tus_and_multipart_uploads_until_termination() throws Exception {
        String location = path(create("reserved.csv", 10));

        HttpResponse<String> again = create("reserved.csv", 3);
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.body()).contains("\"code\":\"name_conflict\"");
        HttpResponse<String> multipart = api.send(api.authorized("/v1/files")
                .header("Content-Type", MultipartBody.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(MultipartBody.singleFile("reserved.csv", new byte[3]))));
        assertThat(multipart.statusCode()).isEqualTo(409);

        HttpResponse<String> terminated = api.send(api.authorized(location).header("Tus-Resumable", "1.0.0").DELETE());
        assertThat(terminated.statusCode()).isEqualTo(204);
        assertThat(head(location).statusCode()).isEqualTo(404);
        api.upload("/v1/files", "reserved.csv", "a\n".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void creation_with_upload_and_a_deferred_length() throws Exception {
        HttpResponse<String> created = api.send(api.authorized("/v1/uploads").header("Tus-Resumable", "1.0.0")
                .header("Upload-Defer-Length", "1").header("Upload-Metadata", "filename " + b64("later.csv"))
                .header("Content-Type", "application/offset+octet-stream")
                .POST(HttpRequest.BodyPublishers.ofString("a,b\n")));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(header(created, "Upload-Offset")).isEqualTo("4");
        String location = path(created);
        assertThat(header(head(location), "Upload-Defer-Length")).isEqualTo("1");

        HttpResponse<String> last = patch(location, 4, "1,2\n".getBytes(StandardCharsets.UTF_8), "Upload-Length", "8");

        assertThat(header(last, "Staged-File")).isEqualTo("/v1/files/later.csv");
        assertThat(api.get("/v1/files/later.csv/content").body()).isEqualTo("a,b\n1,2\n");
    }

    @Test
    void a_create_without_a_file_name_or_length_says_what_is_missing() throws Exception {
        HttpResponse<String> noName = api.send(api.authorized("/v1/uploads").header("Tus-Resumable", "1.0.0")
                .header("Upload-Length", "3").POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(noName.body()).contains("\"code\":\"missing_file_name\"");
        HttpResponse<String> noLength = api.send(api.authorized("/v1/uploads").header("Tus-Resumable", "1.0.0")
                .header("Upload-Metadata", "filename " + b64("x.csv")).POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(noLength.body()).contains("\"code\":\"invalid_upload_header\"");
        HttpResponse<String> tooBig = create("big.csv", ApiUnderTest.MAX_RESUMABLE_BYTES + 1);
        assertThat(tooBig.statusCode()).isEqualTo(413);
        assertThat(header(tooBig, "Tus-Max-Size")).isEqualTo(Long.toString(ApiUnderTest.MAX_RESUMABLE_BYTES));
    }
}
