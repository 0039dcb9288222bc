package dev.filestaging.adapter.jersey.tus;

import static dev.filestaging.adapter.jersey.ApiUnderTest.header;
import static org.assertj.core.api.Assertions.assertThat;

import dev.filestaging.adapter.jersey.ApiUnderTest;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The tus answers issue 24 found wrong: empty uploads, malformed headers, refused appends that keep the upload. */
class TusHardeningHttpTest {

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

    private HttpRequest.Builder creation(String metadata) {
        return api.authorized("/v1/uploads").header("Tus-Resumable", "1.0.0").header("Upload-Metadata", metadata);
    }

    @Test
    void an_upload_of_length_zero_is_staged_by_its_creation_as_tus_clients_expect() throws Exception {
        HttpResponse<String> created = api.send(creation("filename " + b64("empty.csv"))
                .header("Upload-Length", "0").POST(HttpRequest.BodyPublishers.noBody()));

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(header(created, "Staged-File")).isEqualTo("/v1/files/empty.csv");
        assertThat(header(created, "Upload-Offset")).isEqualTo("0");
        HttpResponse<String> file = api.get("/v1/files/empty.csv");
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(file.body()).contains("\"sizeBytes\":0");
        HttpResponse<String> status = api.send(api.authorized(java.net.URI.create(header(created, "Location"))
                .getPath()).header("Tus-Resumable", "1.0.0").method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertThat(header(status, "Staged-File")).isEqualTo("/v1/files/empty.csv");
    }

    /** Found by the hostile tester: the checksum of an upload staged at its creation went unchecked. */
    @Test
    void an_upload_of_length_zero_is_checked_against_no_bytes_and_a_bad_checksum_header_is_400() throws Exception {
        HttpResponse<String> wrong = api.send(creation("filename " + b64("empty.csv")).header("Upload-Length", "0")
                .header("Upload-Checksum", "md5 " + Base64.getEncoder().encodeToString(new byte[16]))
                .POST(HttpRequest.BodyPublishers.noBody()));
        HttpResponse<String> unknown = api.send(creation("filename " + b64("empty.csv")).header("Upload-Length", "0")
                .header("Upload-Checksum", "crc32 AAAA").POST(HttpRequest.BodyPublishers.noBody()));

        HttpResponse<String> tooShort = api.send(creation("filename " + b64("empty.csv")).header("Upload-Length", "0")
                .header("Upload-Checksum", "md5 AAAA").POST(HttpRequest.BodyPublishers.noBody()));

        assertThat(wrong.statusCode()).as(wrong.body()).isEqualTo(460);
        assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(400);
        assertThat(tooShort.statusCode()).as("3 bytes cannot be an MD5: " + tooShort.body()).isEqualTo(400);
        assertThat(tooShort.body()).contains("\"code\":\"invalid_upload_header\"");
        assertThat(api.get("/v1/files/empty.csv").statusCode()).as("nothing staged").isEqualTo(404);
        byte[] emptyMd5 = java.security.MessageDigest.getInstance("MD5").digest();
        HttpResponse<String> right = api.send(creation("filename " + b64("empty.csv")).header("Upload-Length", "0")
                .header("Upload-Checksum", "md5 " + Base64.getEncoder().encodeToString(emptyMd5))
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(right.statusCode()).as(right.body()).isEqualTo(201);
        assertThat(header(right, "Staged-File")).isEqualTo("/v1/files/empty.csv");
    }

    @Test
    void a_patch_the_quota_refuses_is_413_with_the_offset_the_upload_stays_at() throws Exception {
        api.close();
        api = new ApiUnderTest(ApiUnderTest.settings(), store -> null, 200_000);
        HttpResponse<String> created = api.send(creation("filename " + b64("deferred.csv"))
                .header("Upload-Defer-Length", "1").header("Content-Type", "application/offset+octet-stream")
                .POST(HttpRequest.BodyPublishers.ofString("a,b\n1,2\n")));
        String location = java.net.URI.create(header(created, "Location")).getPath();
        byte[] more = "3,4\n".repeat(100_000).getBytes(StandardCharsets.US_ASCII);

        HttpResponse<String> refused = api.send(api.authorized(location).header("Tus-Resumable", "1.0.0")
                .header("Upload-Offset", "8").header("Content-Type", "application/offset+octet-stream")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(more)));

        assertThat(refused.statusCode()).isEqualTo(413);
        assertThat(refused.body()).contains("\"code\":\"quota_exceeded\"").contains("stays at offset 8");
        assertThat(header(refused, "Upload-Offset")).isEqualTo("8");
        HttpResponse<String> status = api.send(api.authorized(location).header("Tus-Resumable", "1.0.0")
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(header(status, "Upload-Offset")).isEqualTo("8");
        assertThat(api.send(api.authorized(location).header("Tus-Resumable", "1.0.0")
                .header("Upload-Offset", "8").header("Upload-Length", "12")
                .header("Content-Type", "application/offset+octet-stream")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("5,6\n"))).statusCode()).isEqualTo(204);
        assertThat(api.get("/v1/files/deferred.csv/content").body()).isEqualTo("a,b\n1,2\n5,6\n");
    }

    @Test
    void a_creation_whose_first_bytes_are_refused_leaves_no_upload_holding_the_name_or_the_space() throws Exception {
        long usedBefore = usedBytes();
        HttpResponse<String> tooMany = api.send(creation("filename " + b64("first.csv")).header("Upload-Length", "2")
                .header("Content-Type", "application/offset+octet-stream")
                .POST(HttpRequest.BodyPublishers.ofString("abc")));
        assertThat(tooMany.statusCode()).isEqualTo(400);
        assertThat(tooMany.body()).contains("\"code\":\"length_mismatch\"");
        assertThat(tooMany.headers().firstValue("Location")).isEmpty();
        HttpResponse<String> badSum = api.send(creation("filename " + b64("first.csv")).header("Upload-Length", "3")
                .header("Upload-Checksum", "sha1 " + Base64.getEncoder().encodeToString(new byte[20]))
                .header("Content-Type", "application/offset+octet-stream")
                .POST(HttpRequest.BodyPublishers.ofString("abc")));
        assertThat(badSum.statusCode()).isEqualTo(460);

        assertThat(usedBytes()).as("no upload holds space").isEqualTo(usedBefore);
        assertThat(api.store.uploads().openCount()).isZero();
        HttpResponse<String> again = api.send(creation("filename " + b64("first.csv")).header("Upload-Length", "3")
                .header("Content-Type", "application/offset+octet-stream")
                .POST(HttpRequest.BodyPublishers.ofString("a\n\n")));
        assertThat(again.statusCode()).as("the name is free: " + again.body()).isEqualTo(201);
    }

    @Test
    void an_upload_of_length_zero_with_bytes_is_a_length_mismatch_not_an_empty_file() throws Exception {
        HttpResponse<String> created = api.send(creation("filename " + b64("zero.csv")).header("Upload-Length", "0")
                .header("Content-Type", "application/offset+octet-stream")
                .POST(HttpRequest.BodyPublishers.ofString("abc")));

        assertThat(created.statusCode()).isEqualTo(400);
        assertThat(created.body()).contains("\"code\":\"length_mismatch\"");
        assertThat(api.get("/v1/files/zero.csv").statusCode()).isEqualTo(404);
    }

    @Test
    void first_bytes_of_another_type_than_offset_octet_stream_are_415_not_dropped() throws Exception {
        HttpResponse<String> created = api.send(creation("filename " + b64("typed.csv")).header("Upload-Length", "4")
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("a,b\n")));

        assertThat(created.statusCode()).isEqualTo(415);
        assertThat(created.body()).contains("\"code\":\"not_offset_octet_stream\"");
        assertThat(api.store.uploads().openCount()).isZero();
    }

    private long usedBytes() throws Exception {
        String body = api.get("/v1/files").body();
        java.util.regex.Matcher used = java.util.regex.Pattern.compile("\"usedBytes\":(\\d+)").matcher(body);
        assertThat(used.find()).as(body).isTrue();
        return Long.parseLong(used.group(1));
    }

    @Test
    void an_unknown_checksum_algorithm_is_400_even_when_it_is_part_of_a_known_name() throws Exception {
        String location = java.net.URI.create(header(api.send(creation("filename " + b64("sum.csv"))
                .header("Upload-Length", "5").POST(HttpRequest.BodyPublishers.noBody())), "Location")).getPath();

        for (String algorithm : new String[] {"sha", "md", "sha1,md5", "SHA1", "5"}) {
            HttpResponse<String> patched = api.send(api.authorized(location).header("Tus-Resumable", "1.0.0")
                    .header("Upload-Offset", "0").header("Content-Type", "application/offset+octet-stream")
                    .header("Upload-Checksum", algorithm + " " + Base64.getEncoder().encodeToString(new byte[20]))
                    .method("PATCH", HttpRequest.BodyPublishers.ofString("a,b\n1")));
            assertThat(patched.statusCode()).as(algorithm).isEqualTo(400);
            assertThat(patched.body()).as(algorithm).contains("\"code\":\"unsupported_checksum\"");
        }
    }

    @Test
    void a_file_name_that_is_not_utf8_is_refused_not_replaced() throws Exception {
        String latin1 = Base64.getEncoder().encodeToString("caf\u00e9.csv".getBytes(StandardCharsets.ISO_8859_1));

        HttpResponse<String> created = api.send(creation("filename " + latin1).header("Upload-Length", "5")
                .POST(HttpRequest.BodyPublishers.noBody()));

        assertThat(created.statusCode()).isEqualTo(400);
        assertThat(created.body()).contains("\"code\":\"invalid_file_name\"");
        assertThat(api.get("/v1/files").body()).doesNotContain("\ufffd");
    }

    @Test
    void lengths_and_offsets_are_plain_digits() throws Exception {
        for (String length : new String[] {"+5", "-0", " 5 5", "0x5", "5.0", "99999999999999999999"}) {
            HttpResponse<String> created = api.send(creation("filename " + b64("n.csv"))
                    .header("Upload-Length", length).POST(HttpRequest.BodyPublishers.noBody()));
            assertThat(created.statusCode()).as(length).isEqualTo(400);
            assertThat(created.body()).as(length).contains("\"code\":\"invalid_upload_header\"");
        }
    }
}
