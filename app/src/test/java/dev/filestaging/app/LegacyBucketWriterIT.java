package dev.filestaging.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.filestaging.adapter.s3.testing.S3TestServer;
import dev.filestaging.adapter.s3.testing.S3TestServerExtension;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes {@link LegacyBucket#RESOURCE}: the runnable jar of the version that still had the bucket-only catalog
 * ({@code FILES_STORAGE=s3} alone) serving S3Proxy, used as a user would (curl-like HTTP, tus, the CLI), then every
 * object of the bucket dumped. Run only on demand: {@code -Dit.test=LegacyBucketWriterIT -Dlegacy.bucket.write=true}.
 * It needs the bucket-only catalog, so it works only on top of commit caba2bd, where it wrote the committed dump; from
 * the catalog's retirement on it stays as the record of how the dump was made (the jar refuses
 * {@code FILES_STORAGE=s3} without a catalog). What it wrote: several files in three areas
 * (a unicode name, an empty file, a gzip file, one of several parts, formats given by the client), a deleted file,
 * API keys of two organizations (one ReadFiles), an OAuth client, a signing key and a link key (a token and a
 * signed link were made), a tus upload finished (its staged note) and two left open with acknowledged bytes (one of
 * them of deferred length).
 */
@EnabledIfSystemProperty(named = "legacy.bucket.write", matches = "true")
class LegacyBucketWriterIT {

    static final String KEY = "legacy-bootstrap-key-0123456789";
    static final String PREFIX = "staging/";
    /** The open upload that the migration's tests resume: its whole content is {@link LegacyBucket#rows}. */
    static final int RESUMABLE_LENGTH = 7 * 1024 * 1024 + 11;
    static final int RESUMABLE_ACKNOWLEDGED = 5 * 1024 * 1024 + 300 * 1024 + 7;

    @RegisterExtension
    static final S3TestServerExtension S3 = new S3TestServerExtension();

    @TempDir
    Path work;

    private final HttpClient http = HttpClient.newHttpClient();
    private String base;

    @Test
    void writes_a_bucket_with_the_bucket_only_catalog_and_dumps_it() throws Exception {
        S3TestServer s3 = S3.server();
        String bucket = S3.newBucket("legacy");
        Map<String, String> environment = new HashMap<>(S3TestServer.credentialsEnvironment());
        environment.putAll(Map.of("FILES_BOOTSTRAP_API_KEY", KEY, "FILES_STORAGE", "s3", "FILES_S3_BUCKET", bucket,
                "FILES_S3_PREFIX", "staging", "FILES_S3_ENDPOINT", s3.endpoint().toString(),
                "FILES_S3_PART_SIZE_BYTES", Long.toString(5L * 1024 * 1024),
                // the open uploads must still be open when the migration's tests run
                "FILES_UPLOAD_EXPIRY_HOURS", Integer.toString(24 * 365),
                // and so must the signed link
                "FILES_LINK_MAX_LIFETIME_SECONDS", "31536000"));
        ObjectNode expected = LegacyBucket.JSON.createObjectNode();
        expected.put("prefix", PREFIX);
        expected.put("bootstrapKey", KEY);

        String readerKey = secret(jar(environment, "api-key", "create", "--org", "default", "--role", "ReadFiles"));
        String acmeKey = secret(jar(environment, "api-key", "create", "--org", "acme"));
        List<String> oauth = jar(environment, "oauth-client", "create", "--org", "default").lines()
                .filter(l -> l.startsWith("client_")).toList();
        expected.put("readerKey", readerKey).put("acmeKey", acmeKey)
                .put("oauthClientId", oauth.get(0).substring("client_id=".length()))
                .put("oauthClientSecret", oauth.get(1).substring("client_secret=".length()));

        try (RunningApp app = RunningApp.start(work.resolve("instance"), environment, "128m")) {
            base = app.baseUrl();
            upload(KEY, "/v1/files", "events.csv", "id,name\n1,alpha\n2,beta\n".getBytes(StandardCharsets.UTF_8), "");
            upload(KEY, "/v1/files", "données été ✓.json", "{\"a\":1}\n{\"a\":2}\n".getBytes(StandardCharsets.UTF_8), "");
            upload(KEY, "/v1/files", "empty.csv", new byte[0], "");
            upload(KEY, "/v1/files", "clicks.json.gz", gzip("{\"click\":1}\n{\"click\":2}\n"), "");
            upload(KEY, "/v1/files", "big.csv", LegacyBucket.rows(6 * 1024 * 1024 + 123), "");
            upload(KEY, "/v1/files", "declared.bin", LegacyBucket.rows(1000), "?dataFormat=orc&compressionFormat=zstd");
            upload(KEY, "/v1/files", "deleted.csv", "x\n1\n".getBytes(StandardCharsets.UTF_8), "");
            assertThat(send(KEY, HttpRequest.newBuilder(files("/v1/files", "deleted.csv")).DELETE()).statusCode())
                    .isEqualTo(204);
            upload(KEY, "/v1/projects/analytics/files", "q1.tsv", "a\tb\n1\t2\n".getBytes(StandardCharsets.UTF_8), "");
            upload(acmeKey, "/v1/files", "acme.csv", "k,v\n1,2\n".getBytes(StandardCharsets.UTF_8), "");

            // a token (writes the signing key) and a signed link (writes the link key), to be honoured after
            String token = send(null, HttpRequest.newBuilder(URI.create(base
                    + "/auth/realms/default/protocol/openid-connect/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id="
                            + expected.get("oauthClientId").asText() + "&client_secret="
                            + expected.get("oauthClientSecret").asText()))).body();
            assertThat(token).contains("access_token");
            HttpResponse<String> link = send(KEY, HttpRequest.newBuilder(URI.create(files("/v1/files", "events.csv")
                    + "/links")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"expiresInSeconds\": 31536000}")));
            assertThat(link.statusCode()).as(link.body()).isEqualTo(201);
            expected.put("link", URI.create(LegacyBucket.JSON.readTree(link.body()).get("url").asText()).getPath());

            // tus: one finished (its note stays), one open of known length, one open of deferred length
            String done = tusCreate("tus-done.csv", "Upload-Length: 9");
            tusPatch(done, 0, "a,b\n1,2\n\n".getBytes(StandardCharsets.UTF_8));
            byte[] resumable = LegacyBucket.rows(RESUMABLE_LENGTH);
            String open = tusCreate("resume-me.csv", "Upload-Length: " + RESUMABLE_LENGTH);
            int first = 5 * 1024 * 1024 + 200 * 1024;
            tusPatch(open, 0, java.util.Arrays.copyOfRange(resumable, 0, first));
            tusPatch(open, first, java.util.Arrays.copyOfRange(resumable, first, RESUMABLE_ACKNOWLEDGED));
            String deferred = tusCreate("deferred.json", "Upload-Defer-Length: 1");
            tusPatch(deferred, 0, "{\"deferred\":true}\n".repeat(50).getBytes(StandardCharsets.UTF_8));
            expected.put("finishedUpload", done).put("openUpload", open).put("deferredUpload", deferred)
                    .put("openUploadLength", RESUMABLE_LENGTH).put("openUploadOffset", RESUMABLE_ACKNOWLEDGED)
                    .put("deferredUploadOffset", 50L * "{\"deferred\":true}\n".length());

            ObjectNode listings = expected.putObject("listings");
            listings.set("default/default", list(KEY, "/v1/files"));
            listings.set("default/analytics", list(KEY, "/v1/projects/analytics/files"));
            listings.set("acme/default", list(acmeKey, "/v1/files"));
        }
        Path to = Path.of(System.getProperty("legacy.bucket.to", LegacyBucket.RESOURCE.toString()));
        LegacyBucket.dump(s3.client(), bucket, expected, to);
        System.out.println("legacy bucket written to " + to.toAbsolutePath());
    }

    private static String jar(Map<String, String> environment, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", RunningApp.JAR.toString()));
        command.addAll(List.of(arguments));
        E2e.Result result = E2e.run(command, environment);
        assertThat(result.exitCode()).as(result.output()).isZero();
        return result.output();
    }

    private static String secret(String created) {
        return created.lines().filter(l -> l.startsWith("fsk_")).findFirst()
                .orElseThrow(() -> new AssertionError("no key in: " + created));
    }

    private URI files(String collection, String name) {
        return URI.create(base + collection + "/" + pathSegment(name));
    }

    /** A name as one percent-encoded path segment (every byte outside the unreserved set encoded). */
    static String pathSegment(String name) {
        StringBuilder out = new StringBuilder();
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (Character.isLetterOrDigit(c) && c < 128 || "-._~".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    private void upload(String key, String collection, String name, byte[] content, String query) throws Exception {
        String boundary = "legacy-boundary-7d1";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename*=UTF-8''"
                + java.net.URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20")
                + "\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(content);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = send(key, HttpRequest.newBuilder(URI.create(base + collection + query))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
        assertThat(response.statusCode()).as(name + ": " + response.body()).isEqualTo(201);
    }

    private JsonNode list(String key, String collection) throws Exception {
        HttpResponse<String> response = send(key, HttpRequest.newBuilder(URI.create(base + collection)).GET());
        assertThat(response.statusCode()).isEqualTo(200);
        return LegacyBucket.JSON.readTree(response.body());
    }

    private String tusCreate(String name, String lengthHeader) throws Exception {
        String[] length = lengthHeader.split(": ");
        HttpResponse<String> created = send(KEY, HttpRequest.newBuilder(URI.create(base + "/v1/uploads"))
                .header("Tus-Resumable", "1.0.0").header(length[0], length[1])
                .header("Upload-Metadata", "filename " + Base64.getEncoder()
                        .encodeToString(name.getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return URI.create(created.headers().firstValue("Location").orElseThrow()).getPath();
    }

    private void tusPatch(String upload, long offset, byte[] bytes) throws Exception {
        HttpResponse<String> patched = send(KEY, HttpRequest.newBuilder(URI.create(base + upload))
                .header("Tus-Resumable", "1.0.0").header("Upload-Offset", Long.toString(offset))
                .header("Content-Type", "application/offset+octet-stream")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(bytes)));
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(204);
        assertThat(patched.headers().firstValue("Upload-Offset")).contains(Long.toString(offset + bytes.length));
    }

    private HttpResponse<String> send(String key, HttpRequest.Builder request) throws Exception {
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] gzip(String text) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }
}
