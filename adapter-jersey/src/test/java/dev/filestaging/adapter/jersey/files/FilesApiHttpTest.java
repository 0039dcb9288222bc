package dev.filestaging.adapter.jersey.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.filestaging.adapter.jersey.FailingStore;
import dev.filestaging.adapter.jersey.FilesHttpServer;
import dev.filestaging.adapter.jersey.MultipartBody;
import dev.filestaging.adapter.jersey.http.FilesApi;
import dev.filestaging.adapter.jersey.http.HttpSettings;
import dev.filestaging.domain.StagingService;
import dev.filestaging.domain.credentials.ApiKeys;
import dev.filestaging.domain.fixtures.InMemoryStorage;
import dev.filestaging.domain.quota.Quotas;
import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.Role;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.fixtures.InMemoryApiKeyRepository;
import dev.filestaging.ports.out.StorageException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

/** The HTTP API against a real server, the real domain and an in-memory store: every status code it promises. */
class FilesApiHttpTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final OrganizationId DEFAULT_ORG = new OrganizationId("default");

    private final HttpClient client = HttpClient.newHttpClient();
    private final InMemoryStorage store = new InMemoryStorage();
    private final InMemoryApiKeyRepository keyRepository = new InMemoryApiKeyRepository();
    private final ApiKeys apiKeys = new ApiKeys(keyRepository, Clock.systemUTC());
    private FilesHttpServer server;
    private String key;

    @BeforeEach
    void start() throws IOException {
        key = apiKeys.issue(DEFAULT_ORG, Set.of(Role.MANAGE_FILES)).secret();
        server = start(Quotas.uniform(Quotas.POLARIS_DEFAULT_BYTES), HttpSettings.DEFAULT_MAX_UPLOAD_BYTES);
    }

    private FilesHttpServer start(Quotas quotas, long maxUploadBytes) throws IOException {
        return start(store, quotas, maxUploadBytes);
    }

    private FilesHttpServer start(dev.filestaging.domain.storage.StagingStore store, Quotas quotas, long maxUploadBytes)
            throws IOException {
        return start(store, quotas, new HttpSettings("127.0.0.1", 0, maxUploadBytes, 8));
    }

    private FilesHttpServer start(dev.filestaging.domain.storage.StagingStore store, Quotas quotas, HttpSettings settings)
            throws IOException {
        StagingService service = StagingService.withDefaults(store, quotas);
        return FilesHttpServer.start(settings, new FilesApi(service, service, service, service, service, List.of(apiKeys),
                service.resumableUploads(java.time.Duration.ofDays(1), HttpSettings.DEFAULT_MAX_UPLOAD_BYTES)));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder authorized(String path) {
        return HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + key);
    }

    private HttpResponse<String> upload(String path, byte[] multipartBody) throws Exception {
        return send(authorized(path).header("Content-Type", MultipartBody.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(multipartBody)));
    }

    private HttpResponse<String> upload(String fileName, String content) throws Exception {
        return upload("/v1/files", MultipartBody.singleFile(fileName, content.getBytes(StandardCharsets.UTF_8)));
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    private static void assertProblem(HttpResponse<String> response, int status, String code) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        JsonNode problem = json(response);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("code").asText()).isEqualTo(code);
        assertThat(problem.get("detail").asText()).isNotBlank();
    }

    private void assertNothingStored() {
        assertThat(store.list(StagingArea.defaultProjectOf(DEFAULT_ORG))).isEmpty();
        assertThat(store.openPendingFiles()).isZero();
    }

    @Test
    void an_upload_answers_201_with_location_and_polaris_metadata() throws Exception {
        HttpResponse<String> response = upload("kttm.csv", "a,b\n1,2\n");

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/v1/files/kttm.csv"));
        JsonNode file = json(response);
        assertThat(file.get("id").asText()).matches("[0-9a-f-]{36}");
        assertThat(file.get("name").asText()).isEqualTo("kttm.csv");
        assertThat(file.get("sizeBytes").asLong()).isEqualTo(8);
        assertThat(file.get("dataFormat").asText()).isEqualTo("csv");
        assertThat(file.get("compressionFormat").isNull()).isTrue();
        assertThat(file.get("digest").get("algo").asText()).isEqualTo("md5");
        assertThat(file.get("digest").get("hash").asText()).isEqualTo(md5Hex("a,b\n1,2\n"));
        assertThat(file.get("uploadedByUserId").asText()).isEqualTo(keyRepository.all().get(0).serviceAccountId());
        assertThat(file.get("uploadedOnDatetime").asText()).endsWith("Z");
        assertThat(response.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    }

    private static String md5Hex(String s) throws Exception {
        return java.util.HexFormat.of().withUpperCase().formatHex(
                java.security.MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void a_gzipped_json_upload_reports_both_formats() throws Exception {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write("{\"a\":1}\n".getBytes(StandardCharsets.UTF_8));
        }
        JsonNode file = json(upload("/v1/files", MultipartBody.singleFile("kttm-2019-08-20.json.gz", gz.toByteArray())));
        assertThat(file.get("dataFormat").asText()).isEqualTo("nd-json");
        assertThat(file.get("compressionFormat").asText()).isEqualTo("gz");
    }

    @Test
    void query_parameters_override_detection_and_unknown_values_are_400() throws Exception {
        HttpResponse<String> declared = upload("/v1/files?dataFormat=tsv&compressionFormat=zstd",
                MultipartBody.singleFile("x.bin", new byte[] {1, 2, 3}));
        assertThat(json(declared).get("dataFormat").asText()).isEqualTo("tsv");
        assertThat(json(declared).get("compressionFormat").asText()).isEqualTo("zstd");

        assertProblem(upload("/v1/files?dataFormat=xml", MultipartBody.singleFile("y.csv", new byte[] {1})), 400,
                "unknown_data_format");
        assertProblem(upload("/v1/files?compressionFormat=rar", MultipartBody.singleFile("y.csv", new byte[] {1})), 400,
                "unknown_compression_format");
    }

    @Test
    void the_parts_content_type_is_a_hint_when_the_name_says_nothing() throws Exception {
        byte[] body = new MultipartBody().part("Content-Disposition: form-data; name=\"file\"; filename=\"export\"\r\n"
                + "Content-Type: text/tab-separated-values\r\n", "one column\n".getBytes(StandardCharsets.UTF_8)).end();
        assertThat(json(upload("/v1/files", body)).get("dataFormat").asText()).isEqualTo("tsv");
    }

    @Test
    void an_empty_area_lists_no_files_and_the_whole_quota() throws Exception {
        HttpResponse<String> response = send(authorized("/v1/files").GET());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body())).isEqualTo(JSON.readTree(
                "{\"files\":[],\"space\":{\"allocatedBytes\":1000000000000,\"usedBytes\":0,\"remainingBytes\":1000000000000}}"));
    }

    @Test
    void listing_shows_uploaded_files_and_used_space() throws Exception {
        upload("b.csv", "bb,c\n");
        upload("a.csv", "a,b\n");

        JsonNode listing = json(send(authorized("/v1/files").GET()));

        assertThat(listing.get("files")).hasSize(2);
        assertThat(listing.get("files").get(0).get("name").asText()).isEqualTo("a.csv");
        assertThat(listing.get("space").get("usedBytes").asLong()).isEqualTo(9);
        assertThat(listing.get("space").get("remainingBytes").asLong()).isEqualTo(1_000_000_000_000L - 9);
    }

    @Test
    void get_returns_metadata_or_404_and_delete_answers_204_then_404() throws Exception {
        upload("gone.csv", "a,b\n");

        assertThat(json(send(authorized("/v1/files/gone.csv").GET())).get("name").asText()).isEqualTo("gone.csv");
        assertThat(send(authorized("/v1/files/gone.csv").DELETE()).statusCode()).isEqualTo(204);
        assertProblem(send(authorized("/v1/files/gone.csv").GET()), 404, "file_not_found");
        assertProblem(send(authorized("/v1/files/gone.csv").DELETE()), 404, "file_not_found");
        assertThat(upload("gone.csv", "again\n").statusCode()).isEqualTo(201);
    }

    @Test
    void names_round_trip_through_the_path_exactly() throws Exception {
        for (String name : List.of("with space.csv", "100%.csv", "données-数据.json", "plus+sign.csv", "semi;colon.csv")) {
            HttpResponse<String> created = upload(name, "a,b\n");
            assertThat(created.statusCode()).as(name).isEqualTo(201);
            String location = created.headers().firstValue("Location").orElseThrow();
            HttpResponse<String> fetched = send(HttpRequest.newBuilder(URI.create(location))
                    .header("Authorization", "Bearer " + key).GET());
            assertThat(fetched.statusCode()).as(location).isEqualTo(200);
            assertThat(json(fetched).get("name").asText()).isEqualTo(name);
            assertThat(send(authorized("/v1/files/" + FilesResource.encodeSegment(name)).DELETE()).statusCode())
                    .isEqualTo(204);
        }
    }

    @Test
    void an_rfc_5987_file_name_is_decoded() throws Exception {
        byte[] body = new MultipartBody().part("Content-Disposition: form-data; name=\"file\"; filename*=UTF-8''caf%C3%A9.csv\r\n",
                "a,b\n".getBytes(StandardCharsets.UTF_8)).end();
        HttpResponse<String> response = upload("/v1/files", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(json(response).get("name").asText()).isEqualTo("café.csv");
    }

    @Test
    void a_second_upload_of_a_name_is_409_and_the_first_stays() throws Exception {
        upload("dup.csv", "first\n");

        assertProblem(upload("dup.csv", "second, longer\n"), 409, "name_conflict");
        assertThat(json(send(authorized("/v1/files/dup.csv").GET())).get("sizeBytes").asLong()).isEqualTo(6);
    }

    @Test
    void requests_without_valid_credentials_are_401_with_a_challenge() throws Exception {
        HttpResponse<String> none = send(HttpRequest.newBuilder(uri("/v1/files")).GET());
        assertProblem(none, 401, "unauthorized");
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).contains("Bearer"));

        assertProblem(send(HttpRequest.newBuilder(uri("/v1/files")).header("Authorization", "Bearer fsk_wrong").GET()),
                401, "unauthorized");
        assertProblem(send(HttpRequest.newBuilder(uri("/v1/files")).header("Authorization", "Digest abc").GET()),
                401, "unauthorized");
        assertProblem(send(HttpRequest.newBuilder(uri("/v1/nothing-here")).GET()), 401, "unauthorized");
        assertThat(none.body()).doesNotContain(key);
    }

    @Test
    void polaris_style_basic_auth_with_the_key_as_user_name_works() throws Exception {
        String basic = Base64.getEncoder().encodeToString((key + ":").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/v1/files")).header("Authorization", "Basic " + basic).GET());
        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void a_key_without_the_manage_files_role_is_403() throws Exception {
        String weak = apiKeys.issue(DEFAULT_ORG, Set.of()).secret();
        assertProblem(send(HttpRequest.newBuilder(uri("/v1/files")).header("Authorization", "Bearer " + weak).GET()),
                403, "forbidden");
    }

    @Test
    void organizations_never_see_each_others_files_even_with_equal_names() throws Exception {
        upload("shared-name.csv", "default org\n");
        String other = apiKeys.issue(new OrganizationId("globex"), Set.of(Role.MANAGE_FILES)).secret();
        HttpRequest.Builder asOther = HttpRequest.newBuilder(uri("/v1/files")).header("Authorization", "Bearer " + other);

        assertThat(json(send(asOther.copy().GET())).get("files")).isEmpty();
        assertThat(send(HttpRequest.newBuilder(uri("/v1/files/shared-name.csv"))
                .header("Authorization", "Bearer " + other).DELETE()).statusCode()).isEqualTo(404);
        HttpResponse<String> theirs = send(asOther.copy().header("Content-Type", MultipartBody.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(MultipartBody.singleFile("shared-name.csv", new byte[] {'x'}))));
        assertThat(theirs.statusCode()).isEqualTo(201);
        assertThat(json(send(authorized("/v1/files/shared-name.csv").GET())).get("sizeBytes").asLong()).isEqualTo(12);
    }

    @Test
    void project_scoped_urls_are_separate_staging_areas() throws Exception {
        HttpResponse<String> created = upload("/v1/projects/p-123/files", MultipartBody.singleFile("a.csv", new byte[] {'a'}));
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/v1/projects/p-123/files/a.csv"));

        assertThat(json(send(authorized("/v1/projects/p-123/files").GET())).get("files")).hasSize(1);
        assertThat(json(send(authorized("/v1/files").GET())).get("files")).isEmpty();
        assertThat(send(authorized("/v1/projects/p-123/files/a.csv").DELETE()).statusCode()).isEqualTo(204);
    }

    @Test
    void a_body_that_is_not_multipart_is_415() throws Exception {
        assertProblem(send(authorized("/v1/files").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))), 415, "not_multipart");
        assertProblem(send(authorized("/v1/files").POST(HttpRequest.BodyPublishers.ofString("raw"))), 415, "not_multipart");
        assertNothingStored();
    }

    @Test
    void a_text_field_named_file_gets_a_hint_about_the_missing_at_sign() throws Exception {
        HttpResponse<String> response = upload("/v1/files", new MultipartBody().field("file", "kttm.json.gz").end());
        assertProblem(response, 400, "missing_file");
        assertThat(json(response).get("detail").asText()).contains("@");
        assertNothingStored();
    }

    @Test
    void a_request_without_any_file_part_is_400() throws Exception {
        assertProblem(upload("/v1/files", new MultipartBody().field("other", "x").end()), 400, "missing_file");
        assertProblem(upload("/v1/files", new MultipartBody().file("data", "x.csv", new byte[] {1}).end()), 400, "missing_file");
        assertNothingStored();
    }

    @Test
    void two_file_parts_are_400_and_nothing_is_stored() throws Exception {
        byte[] body = new MultipartBody().file("file", "one.csv", new byte[] {'1'}).file("file", "two.csv", new byte[] {'2'}).end();
        assertProblem(upload("/v1/files", body), 400, "multiple_files");
        assertNothingStored();
    }

    @Test
    void small_form_fields_around_the_file_are_tolerated() throws Exception {
        byte[] body = new MultipartBody().field("comment", "hello").file("file", "ok.csv", "a,b\n".getBytes(StandardCharsets.UTF_8))
                .field("trailing", "x").end();
        assertThat(upload("/v1/files", body).statusCode()).isEqualTo(201);
    }

    @Test
    void too_many_parts_are_400() throws Exception {
        MultipartBody body = new MultipartBody();
        for (int i = 0; i < 20; i++) {
            body.field("f" + i, "x");
        }
        assertProblem(upload("/v1/files", body.file("file", "x.csv", new byte[] {1}).end()), 400, "too_many_parts");
        assertNothingStored();
    }

    @Test
    void a_truncated_body_is_400_and_nothing_is_stored() throws Exception {
        byte[] whole = MultipartBody.singleFile("cut.csv", new byte[100_000]);
        byte[] truncated = java.util.Arrays.copyOf(whole, 60_000);
        HttpResponse<String> response = upload("/v1/files", truncated);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("code").asText()).isIn("malformed_multipart", "upload_interrupted");
        assertNothingStored();
    }

    @Test
    void part_headers_over_8_kib_are_400() throws Exception {
        byte[] body = new MultipartBody().part("Content-Disposition: form-data; name=\"file\"; filename=\"x.csv\"\r\nX-Padding: "
                + "p".repeat(9000) + "\r\n", new byte[] {1}).end();
        assertProblem(upload("/v1/files", body), 400, "malformed_multipart");
        assertNothingStored();
    }

    @Test
    void invalid_names_and_archives_are_400() throws Exception {
        assertProblem(upload("a/b.csv", "x\n"), 400, "invalid_file_name");
        assertProblem(upload("..", "x\n"), 400, "invalid_file_name");
        assertProblem(upload("/v1/files", MultipartBody.singleFile("a.zip", new byte[] {'P', 'K', 3, 4, 0, 0})), 400,
                "zip_not_supported");
        assertProblem(upload("bom.csv", "\uFEFFa,b\n"), 400, "byte_order_mark");
        assertNothingStored();
    }

    @Test
    void an_upload_over_the_size_limit_is_413_whether_declared_or_chunked() throws Exception {
        server.close();
        server = start(Quotas.uniform(Quotas.POLARIS_DEFAULT_BYTES), 10_000);
        byte[] tooBig = MultipartBody.singleFile("big.bin", new byte[20_000]);

        assertProblem(upload("/v1/files", tooBig), 413, "upload_too_large");
        HttpResponse<String> chunked = send(authorized("/v1/files").header("Content-Type", MultipartBody.contentType())
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(tooBig))));
        assertProblem(chunked, 413, "upload_too_large");
        assertNothingStored();
        assertThat(upload("/v1/files", MultipartBody.singleFile("small.bin", new byte[5_000])).statusCode()).isEqualTo(201);
    }

    @Test
    void an_upload_over_the_quota_is_413_with_its_own_code() throws Exception {
        server.close();
        server = start(Quotas.uniform(1000), HttpSettings.DEFAULT_MAX_UPLOAD_BYTES);

        assertProblem(upload("/v1/files", MultipartBody.singleFile("big.bin", new byte[1001])), 413, "quota_exceeded");
        assertNothingStored();
        assertThat(upload("/v1/files", MultipartBody.singleFile("fits.bin", new byte[1000])).statusCode()).isEqualTo(201);
    }

    @Test
    void an_oversized_declared_length_with_expect_continue_is_refused_before_any_body_is_sent() throws Exception {
        server.close();
        server = start(Quotas.uniform(Quotas.POLARIS_DEFAULT_BYTES), 10_000);
        String head = "POST /v1/files HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + key
                + "\r\nContent-Type: " + MultipartBody.contentType() + "\r\nContent-Length: 5000000000\r\nExpect: 100-continue\r\n\r\n";

        String answer = exchangeHeadOnly(head);

        assertThat(answer).startsWith("HTTP/1.1 413").doesNotContain("100 Continue").contains("upload_too_large");
    }

    @Test
    void with_expect_continue_bad_credentials_are_refused_before_any_body_is_sent() throws Exception {
        String head = "POST /v1/files HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer fsk_wrong\r\nContent-Type: "
                + MultipartBody.contentType() + "\r\nContent-Length: 1000\r\nExpect: 100-continue\r\n\r\n";

        assertThat(exchangeHeadOnly(head)).startsWith("HTTP/1.1 401").doesNotContain("100 Continue");
    }

    @Test
    void with_expect_continue_a_valid_upload_gets_100_then_201() throws Exception {
        byte[] body = MultipartBody.singleFile("continued.csv", "a,b\n".getBytes(StandardCharsets.UTF_8));
        String head = "POST /v1/files HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + key + "\r\nContent-Type: "
                + MultipartBody.contentType() + "\r\nContent-Length: " + body.length + "\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n";
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String interim = readLine(in);
            assertThat(interim).startsWith("HTTP/1.1 100");
            readLine(in);
            out.write(body);
            out.flush();
            String rest = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(rest).startsWith("HTTP/1.1 201");
        }
    }

    @Test
    void a_declared_length_over_two_gib_is_read_as_a_long() throws Exception {
        server.close();
        server = start(Quotas.uniform(Quotas.POLARIS_DEFAULT_BYTES), 3L * 1024 * 1024 * 1024);
        // a complete multipart message in a body declared as 2.5 GB: the message ends long before the body would
        byte[] message = MultipartBody.singleFile("huge.csv", "a,b\n".getBytes(StandardCharsets.UTF_8));
        String head = "POST /v1/files HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + key + "\r\nContent-Type: "
                + MultipartBody.contentType() + "\r\nContent-Length: 2500000000\r\n\r\n";
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(message);
            socket.getOutputStream().flush();
            assertThat(readLine(socket.getInputStream())).isEqualTo("HTTP/1.1 201 Created");
        }
    }

    @Test
    void storage_failures_are_507_503_or_500_without_internals_and_leave_nothing() throws Exception {
        Map<Integer, java.util.function.Supplier<RuntimeException>> failures = Map.of(
                507, () -> new StorageException.StorageFullException("No space left on device", null),
                503, () -> new StorageException.StorageUnavailableException("connect timed out", null),
                500, () -> new IllegalStateException("secret internal detail"));
        for (var failure : failures.entrySet()) {
            server.close();
            server = start(new FailingStore(store, failure.getValue()), Quotas.uniform(Quotas.POLARIS_DEFAULT_BYTES),
                    HttpSettings.DEFAULT_MAX_UPLOAD_BYTES);

            HttpResponse<String> response = upload("doomed.csv", "a,b\n");

            assertThat(response.statusCode()).as(response.body()).isEqualTo(failure.getKey());
            assertThat(response.body()).doesNotContain("secret internal detail").doesNotContain("Exception")
                    .doesNotContain("No space left");
            assertNothingStored();
        }
    }

    @Test
    void an_unavailable_storage_tells_the_client_when_to_retry() throws Exception {
        server.close();
        server = start(new FailingStore(store, () -> new StorageException.StorageUnavailableException("down", null)),
                Quotas.uniform(Quotas.POLARIS_DEFAULT_BYTES), HttpSettings.DEFAULT_MAX_UPLOAD_BYTES);
        HttpResponse<String> response = upload("later.csv", "a,b\n");
        assertProblem(response, 503, "storage_unavailable");
        assertThat(response.headers().firstValue("Retry-After")).contains("5");
    }

    @Test
    void health_needs_no_credentials() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/health")).GET());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("status").asText()).isEqualTo("UP");
    }

    @Test
    void liveness_is_the_process_and_readiness_the_storage_both_without_credentials() throws Exception {
        server.close();
        InMemoryStorage probed = new InMemoryStorage();
        var clock = new dev.filestaging.ports.fixtures.MutableClock(java.time.Instant.parse("2026-12-01T00:00:00Z"));
        StagingService service = new StagingService(probed, Quotas.uniform(Quotas.POLARIS_DEFAULT_BYTES), clock,
                java.util.UUID::randomUUID, StagingService.contentWriterPool());
        server = FilesHttpServer.start(new HttpSettings("127.0.0.1", 0, 10_000, 8), new FilesApi(service, service,
                service, service, service, List.of(apiKeys), null, null,
                service.resumableUploads(java.time.Duration.ofDays(1), HttpSettings.DEFAULT_MAX_UPLOAD_BYTES), service.readiness()));

        assertThat(send(HttpRequest.newBuilder(uri("/health/live")).GET()).statusCode()).isEqualTo(200);
        HttpResponse<String> ready = send(HttpRequest.newBuilder(uri("/health/ready")).GET());
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(json(ready).get("status").asText()).isEqualTo("UP");

        probed.reportHealth(dev.filestaging.ports.out.StoreHealth.failing("the disk has 0 bytes left"));
        assertThat(send(HttpRequest.newBuilder(uri("/health/ready")).GET()).statusCode())
                .as("asked again only after a couple of seconds").isEqualTo(200);
        clock.advance(java.time.Duration.ofSeconds(3));
        HttpResponse<String> down = send(HttpRequest.newBuilder(uri("/health/ready")).GET());
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(json(down).get("status").asText()).isEqualTo("DOWN");
        assertThat(json(down).get("storage").asText()).isEqualTo("the disk has 0 bytes left");
        assertThat(send(HttpRequest.newBuilder(uri("/health/live")).GET()).statusCode()).as("the process still serves")
                .isEqualTo(200);
        assertThat(send(HttpRequest.newBuilder(uri("/health")).GET()).statusCode()).isEqualTo(200);
    }

    @Test
    void every_answer_carries_a_request_id_the_clients_when_it_is_a_plain_token_and_problems_name_it() throws Exception {
        HttpResponse<String> given = send(authorized("/v1/files").header("X-Request-Id", "job-17.step:3").GET());
        assertThat(given.headers().firstValue("X-Request-Id")).contains("job-17.step:3");

        HttpResponse<String> made = send(authorized("/v1/files/nothing.csv").GET());
        String id = made.headers().firstValue("X-Request-Id").orElseThrow();
        assertThat(id).matches("[0-9a-f-]{36}");
        assertThat(json(made).get("instance").asText()).isEqualTo("request/" + id);

        HttpResponse<String> forged = send(HttpRequest.newBuilder(uri("/v1/files"))
                .header("X-Request-Id", "x\" level=ERROR").GET());
        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(forged.headers().firstValue("X-Request-Id")).as("an id that could forge a log line is replaced")
                .hasValueSatisfying(replaced -> assertThat(replaced).matches("[0-9a-f-]{36}"));
        assertThat(json(forged).get("instance").asText()).endsWith(forged.headers().firstValue("X-Request-Id").get());
    }

    @Test
    void unknown_addresses_and_methods_are_problems_too() throws Exception {
        assertProblem(send(authorized("/v1/nothing").GET()), 404, "not_found");
        assertProblem(send(authorized("/v1/files").PUT(HttpRequest.BodyPublishers.noBody())), 405, "method_not_allowed");
    }

    @Test
    void a_raw_semicolon_is_part_of_the_name_never_a_matrix_parameter() throws Exception {
        assertThat(upload("report", "a,b\n").statusCode()).isEqualTo(201);
        assertThat(upload("report;v2.csv", "c,d\n").statusCode()).isEqualTo(201);

        HttpResponse<String> got = send(authorized("/v1/files/report;v2.csv").GET());
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(json(got).get("name").asText()).isEqualTo("report;v2.csv");
        assertThat(send(authorized("/v1/files/report;v2.csv").DELETE()).statusCode()).isEqualTo(204);

        assertThat(json(send(authorized("/v1/files/report").GET())).get("name").asText()).isEqualTo("report");
        assertProblem(send(authorized("/v1/files/report;v2.csv").DELETE()), 404, "file_not_found");
        assertProblem(send(authorized("/v1/projects/p;x/files").GET()), 404, "not_found");
    }

    @Test
    void with_expect_continue_and_a_chunked_body_bad_credentials_are_refused_at_once_and_the_connection_closed()
            throws Exception {
        String head = "POST /v1/files HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer fsk_wrong\r\nContent-Type: "
                + MultipartBody.contentType() + "\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n";

        String answer = exchangeHeadOnly(head);

        assertThat(answer).startsWith("HTTP/1.1 401").doesNotContain("100 Continue").containsIgnoringCase("Connection: close");
    }

    @Test
    void with_expect_continue_a_chunked_upload_gets_100_before_sending_then_201() throws Exception {
        byte[] body = MultipartBody.singleFile("chunked.csv", "a,b\n".getBytes(StandardCharsets.UTF_8));
        String head = "POST /v1/files HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + key + "\r\nContent-Type: "
                + MultipartBody.contentType() + "\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n"
                + "Connection: close\r\n\r\n";
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(3_000); // the interim answer must come before any byte of the body is sent
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            assertThat(readLine(in)).startsWith("HTTP/1.1 100");
            readLine(in);
            out.write((Integer.toHexString(body.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.write("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).startsWith("HTTP/1.1 201");
        }
    }

    @Test
    void a_key_sent_without_a_scheme_is_never_echoed() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/v1/files")).header("Authorization", key).GET());

        assertProblem(response, 401, "unauthorized");
        assertThat(response.body()).doesNotContain(key).contains("Authorization: Bearer <key>");
    }

    @Test
    void slow_uploads_filling_every_slot_leave_health_listings_gets_and_deletes_answering() throws Exception {
        int slots = 3;
        server.close();
        server = start(store, Quotas.uniform(Quotas.POLARIS_DEFAULT_BYTES),
                new HttpSettings("127.0.0.1", 0, HttpSettings.DEFAULT_MAX_UPLOAD_BYTES, 8).withMaxConcurrentUploads(slots));
        assertThat(upload("present.csv", "a,b\n").statusCode()).isEqualTo(201);
        List<Socket> trickling = new java.util.ArrayList<>();
        try {
            int refused = 0;
            for (int i = 0; i < 2 * slots; i++) { // twice as many slow clients as there are slots
                Socket socket = new Socket("127.0.0.1", server.port());
                trickling.add(socket);
                socket.getOutputStream().write(("POST /v1/files HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + key
                        + "\r\nContent-Type: " + MultipartBody.contentType() + "\r\nContent-Length: 100000\r\n\r\n--"
                        + MultipartBody.BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"slow" + i
                        + ".csv\"\r\n\r\na,b\n").getBytes(StandardCharsets.UTF_8));
                socket.getOutputStream().flush();
                socket.setSoTimeout(1_000);
                try {
                    String status = readLine(socket.getInputStream());
                    assertThat(status).startsWith("HTTP/1.1 503");
                    refused++;
                } catch (java.net.SocketTimeoutException holdingASlot) {
                    // this upload streams (slowly): its answer comes when its body is complete
                }
            }
            assertThat(refused).as("uploads beyond the %d slots are refused at once", slots).isEqualTo(slots);

            List<Long> millis = new java.util.ArrayList<>();
            HttpClient patient = HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(2)).build();
            for (int i = 0; i < 50; i++) {
                for (HttpRequest request : List.of(
                        HttpRequest.newBuilder(uri("/health")).timeout(java.time.Duration.ofSeconds(2)).build(),
                        authorized("/v1/files").timeout(java.time.Duration.ofSeconds(2)).build(),
                        authorized("/v1/files/present.csv").timeout(java.time.Duration.ofSeconds(2)).build())) {
                    long start = System.nanoTime();
                    assertThat(patient.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
                    millis.add(java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                }
            }
            assertThat(send(authorized("/v1/files/present.csv").DELETE()).statusCode()).isEqualTo(204);
            millis.sort(null);
            System.out.printf("with %d slow uploads on %d slots: health/list/get p50 %d ms, p99 %d ms over %d requests%n",
                    2 * slots, slots, millis.get(millis.size() / 2), millis.get(millis.size() * 99 / 100), millis.size());
        } finally {
            for (Socket socket : trickling) {
                socket.close();
            }
        }
    }

    @Test
    void answers_carry_a_date_and_a_405_says_what_the_address_allows_also_for_trace() throws Exception {
        HttpResponse<String> put = send(authorized("/v1/files").PUT(HttpRequest.BodyPublishers.noBody()));
        assertProblem(put, 405, "method_not_allowed");
        assertThat(put.headers().firstValue("Allow").orElseThrow()).contains("GET", "POST").doesNotContain("PUT");
        assertThat(put.headers().firstValue("Date")).isPresent();

        String trace = exchangeHeadOnly("TRACE /v1/files HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + key
                + "\r\n\r\n");
        assertThat(trace).startsWith("HTTP/1.1 405").contains("application/problem+json").containsIgnoringCase("Allow: ")
                .doesNotContain("PUT");

        assertThat(upload("dated.csv", "a,b\n").headers().firstValue("Date")).isPresent();
        assertThat(send(authorized("/v1/files/missing.csv").GET()).headers().firstValue("Date")).isPresent();
        assertThat(send(HttpRequest.newBuilder(uri("/health")).GET()).headers().firstValue("Date")).isPresent();
    }

    @Test
    void a_get_or_delete_with_a_body_is_answered_as_usual() throws Exception {
        assertThat(upload("bodied.csv", "a,b\n").statusCode()).isEqualTo(201);
        assertThat(send(authorized("/v1/files/bodied.csv").method("GET", HttpRequest.BodyPublishers.ofString("x=1")))
                .statusCode()).isEqualTo(200);
        assertThat(send(authorized("/v1/files/bodied.csv").method("DELETE", HttpRequest.BodyPublishers.ofString("x=1")))
                .statusCode()).isEqualTo(204);
    }

    @Test
    void oversized_headers_are_431_problems() throws Exception {
        String answer = exchangeHeadOnly("GET /v1/files HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "a".repeat(20_000)
                + "\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 431").contains("application/problem+json").contains("headers_too_large");
    }

    @Test
    void metadata_has_a_strong_etag_honoured_by_if_none_match_and_by_if_match_on_delete() throws Exception {
        HttpResponse<String> created = upload("tagged.csv", "a,b\n");
        String etag = created.headers().firstValue("ETag").orElseThrow();
        assertThat(etag).isEqualTo("\"" + json(created).get("id").asText() + "\"");

        HttpResponse<String> got = send(authorized("/v1/files/tagged.csv").GET());
        assertThat(got.headers().firstValue("ETag")).contains(etag);
        assertThat(send(authorized("/v1/files/tagged.csv").header("If-None-Match", etag).GET()).statusCode()).isEqualTo(304);
        assertThat(send(authorized("/v1/files/tagged.csv").header("If-None-Match", "\"other\"").GET()).statusCode())
                .isEqualTo(200);

        assertProblem(send(authorized("/v1/files/tagged.csv").header("If-Match", "\"other\"").DELETE()), 412,
                "precondition_failed");
        assertThat(send(authorized("/v1/files/tagged.csv").GET()).statusCode()).isEqualTo(200);
        assertThat(send(authorized("/v1/files/tagged.csv").header("If-Match", etag).DELETE()).statusCode()).isEqualTo(204);
        assertProblem(send(authorized("/v1/files/tagged.csv").header("If-Match", etag).DELETE()), 412,
                "precondition_failed");
    }

    @Test
    void location_uses_the_public_url_when_one_is_set_never_the_host_header() throws Exception {
        server.close();
        HttpSettings defaults = new HttpSettings("127.0.0.1", 0, HttpSettings.DEFAULT_MAX_UPLOAD_BYTES, 8);
        server = start(store, Quotas.uniform(Quotas.POLARIS_DEFAULT_BYTES), new HttpSettings(defaults.host(), 0,
                defaults.maxUploadBytes(), 8, defaults.idleTimeout(), defaults.minUploadBytesPerSecond(), 0,
                defaults.shutdownGrace(), java.util.Optional.of("https://files.example.com/"), List.of(), List.of()));
        String head = "POST /v1/files HTTP/1.1\r\nHost: evil.example.net\r\nAuthorization: Bearer " + key
                + "\r\nContent-Type: " + MultipartBody.contentType() + "\r\n";
        byte[] body = MultipartBody.singleFile("public.csv", "a,b\n".getBytes(StandardCharsets.UTF_8));
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write((head + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(body);
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 201").contains("Location: https://files.example.com/v1/files/public.csv")
                    .doesNotContain("evil.example.net");
        }
    }

    /** Sends only the request head and returns whatever the server answers before closing or going quiet. */
    private String exchangeHeadOnly(String head) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(3_000);
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            try {
                int n;
                while ((n = socket.getInputStream().read(buffer)) > 0) {
                    answer.write(buffer, 0, n);
                    if (answer.toString(StandardCharsets.UTF_8).contains("}")) {
                        break;
                    }
                }
            } catch (java.net.SocketTimeoutException quiet) {
                // the server waits for a body it never asked for: what it said so far is the answer
            }
            return answer.toString(StandardCharsets.UTF_8);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            line.append((char) c);
        }
        return line.toString().trim();
    }
}
