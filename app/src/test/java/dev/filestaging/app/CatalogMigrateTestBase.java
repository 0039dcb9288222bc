package dev.filestaging.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.filestaging.adapter.postgres.PostgresServer;
import dev.filestaging.adapter.s3.testing.S3TestServer;
import dev.filestaging.adapter.s3.testing.S3TestServerExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The upgrade from the bucket-only catalog, end to end with the runnable jar: the committed bucket written by the
 * last version that had it ({@link LegacyBucket}) is loaded into an S3 server; a server on it with a PostgreSQL
 * catalog refuses to start until {@code catalog migrate} has run; after it, the server lists the same files with the
 * same sizes, MD5s, formats, uploaders and times, reads the same bytes, accepts the old API keys, OAuth client and
 * signed link, and resumes the open tus upload where it stood; a second migrate changes nothing. Subclasses choose
 * the S3 server.
 */
abstract class CatalogMigrateTestBase {

    abstract S3TestServerExtension server();

    private static LegacyBucket fixture;
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path work;
    private String bucket;
    private String jdbcUrl;
    private final List<RunningApp> apps = new ArrayList<>();

    @BeforeAll
    static void readFixture() throws Exception {
        // its tus uploads and signed link would expire a year after it was written: renewed, so that the test does
        // not depend on its age
        fixture = LegacyBucket.read().renewed(Instant.now());
    }

    @BeforeEach
    void loadFixture() {
        bucket = server().newBucket("upgrade");
        fixture.load(server().server(), bucket);
        jdbcUrl = PostgresServer.shared().newDatabase();
    }

    @AfterEach
    void stopApps() throws Exception {
        for (RunningApp app : apps) {
            app.close();
        }
    }

    /** The settings of serve and of catalog migrate alike; no bootstrap key: the migrated keys must do. */
    private Map<String, String> environment() {
        Map<String, String> environment = new HashMap<>(S3TestServer.credentialsEnvironment());
        environment.putAll(Map.of("FILES_STORAGE", "s3", "FILES_S3_BUCKET", bucket, "FILES_S3_PREFIX", "staging",
                "FILES_S3_ENDPOINT", server().server().endpoint().toString(), "FILES_CATALOG", "postgres",
                "FILES_CATALOG_URL", jdbcUrl, "FILES_CATALOG_USER", PostgresServer.USER,
                "FILES_DATA_DIR", work.resolve("data").toString()));
        return environment;
    }

    private E2e.Result jar(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", RunningApp.JAR.toString()));
        command.addAll(List.of(arguments));
        return E2e.run(command, environment());
    }

    @Test
    void a_bucket_of_the_bucket_only_catalog_serves_the_same_after_catalog_migrate() throws Exception {
        RunningApp refused = RunningApp.launch(work.resolve("refused"), environment());
        apps.add(refused);
        assertThat(refused.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(refused.process.exitValue()).isNotZero();
        assertThat(refused.output()).contains("files-app catalog migrate").contains("bucket-only catalog");

        E2e.Result migrated = jar("catalog", "migrate", "--instance-timeout=2");
        assertThat(migrated.exitCode()).as(migrated.output()).isZero();
        assertThat(migrated.output())
                .contains("files: 9 copied (6292680 bytes, inside the store), 0 already in the catalog, 0 in conflict")
                .contains("open uploads: 2 imported (5550987 acknowledged bytes)")
                .contains("small records (API keys, OAuth clients, signing and link keys): 6 copied")
                .contains("aws s3 rm --recursive s3://" + bucket + "/staging/areas/");

        RunningApp app = RunningApp.start(work.resolve("instance"), environment());
        apps.add(app);
        JsonNode expected = fixture.expected;
        String key = expected.get("bootstrapKey").asText();
        Map<String, String> keys = Map.of("default/default", key, "default/analytics", expected.get("readerKey")
                .asText(), "acme/default", expected.get("acmeKey").asText());
        for (Iterator<Map.Entry<String, JsonNode>> it = expected.get("listings").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> listing = it.next();
            String collection = collection(listing.getKey());
            HttpResponse<String> listed = get(app, keys.get(listing.getKey()), collection);
            assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
            assertThat(LegacyBucket.JSON.readTree(listed.body()).get("files"))
                    .isEqualTo(listing.getValue().get("files"));
            for (JsonNode file : listing.getValue().get("files")) {
                HttpResponse<byte[]> content = http.send(HttpRequest.newBuilder(URI.create(app.baseUrl()
                                + collection + "/" + LegacyBucketWriterIT.pathSegment(file.get("name").asText())
                                + "/content")).header("Authorization", "Bearer " + keys.get(listing.getKey())).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertThat(content.statusCode()).isEqualTo(200);
                assertThat(E2e.md5(content.body())).isEqualTo(file.get("digest").get("hash").asText());
            }
        }

        HttpResponse<String> link = http.send(HttpRequest.newBuilder(URI.create(app.baseUrl()
                + expected.get("link").asText())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(link.statusCode()).as("the signed link made before").isEqualTo(200);
        assertThat(link.body()).isEqualTo("id,name\n1,alpha\n2,beta\n");
        HttpResponse<String> token = http.send(HttpRequest.newBuilder(URI.create(app.baseUrl()
                        + "/auth/realms/default/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id="
                        + expected.get("oauthClientId").asText() + "&client_secret="
                        + expected.get("oauthClientSecret").asText())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
        String bearer = LegacyBucket.JSON.readTree(token.body()).get("access_token").asText();
        assertThat(get(app, bearer, "/v1/files").statusCode()).isEqualTo(200);

        String upload = expected.get("openUpload").asText();
        int length = expected.get("openUploadLength").asInt();
        int acknowledged = expected.get("openUploadOffset").asInt();
        assertThat(tusOffset(app, key, upload)).isEqualTo(acknowledged);
        byte[] whole = LegacyBucket.rows(length);
        HttpResponse<String> patched = http.send(HttpRequest.newBuilder(URI.create(app.baseUrl() + upload))
                .header("Authorization", "Bearer " + key).header("Tus-Resumable", "1.0.0")
                .header("Upload-Offset", Integer.toString(acknowledged))
                .header("Content-Type", "application/offset+octet-stream")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(Arrays.copyOfRange(whole, acknowledged,
                        length))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(204);
        assertThat(patched.headers().firstValue("Staged-File")).contains("/v1/files/resume-me.csv");
        JsonNode staged = LegacyBucket.JSON.readTree(get(app, key, "/v1/files/resume-me.csv").body());
        assertThat(staged.get("digest").get("hash").asText()).isEqualTo(E2e.md5(whole));
        assertThat(staged.get("sizeBytes").asLong()).isEqualTo(length);
        assertThat(tusOffset(app, key, expected.get("deferredUpload").asText()))
                .isEqualTo(expected.get("deferredUploadOffset").asLong());
        app.close();

        E2e.Result again = jar("catalog", "migrate", "--instance-timeout=2");
        assertThat(again.exitCode()).as(again.output()).isZero();
        assertThat(again.output()).contains("files: 0 copied (0 bytes, inside the store), 9 already in the catalog")
                .contains("open uploads: 0 imported").contains("nothing to do");
    }

    @Test
    void catalog_migrate_refuses_while_a_heartbeat_changes_and_goes_on_once_it_stands_still() throws Exception {
        String heartbeat = "staging/instances/0e6f0d9a-still-serving";
        AtomicBoolean beating = new AtomicBoolean(true);
        Thread beater = new Thread(() -> {
            for (int i = 0; beating.get(); i++) {
                int beat = i;
                server().server().client().putObject(b -> b.bucket(bucket).key(heartbeat),
                        RequestBody.fromString("beat " + beat));
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        beater.start();
        E2e.Result refused;
        try {
            refused = jar("catalog", "migrate", "--instance-timeout=3");
        } finally {
            beating.set(false);
            beater.join();
        }
        assertThat(refused.exitCode()).as(refused.output()).isEqualTo(1);
        assertThat(refused.output()).contains("instances still serve the bucket").contains("0e6f0d9a-still-serving")
                .contains("--force").doesNotContain("files:");

        E2e.Result migrated = jar("catalog", "migrate", "--instance-timeout=2");
        assertThat(migrated.exitCode()).as(migrated.output()).isZero();
        assertThat(migrated.output()).contains("files: 9 copied");
    }

    private static String collection(String area) {
        String[] parts = area.split("/");
        return "default".equals(parts[1]) ? "/v1/files" : "/v1/projects/" + parts[1] + "/files";
    }

    private HttpResponse<String> get(RunningApp app, String bearer, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(app.baseUrl() + path))
                .header("Authorization", "Bearer " + bearer).build(), HttpResponse.BodyHandlers.ofString());
    }

    private long tusOffset(RunningApp app, String key, String upload) throws Exception {
        HttpResponse<Void> head = http.send(HttpRequest.newBuilder(URI.create(app.baseUrl() + upload))
                .header("Authorization", "Bearer " + key).header("Tus-Resumable", "1.0.0")
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(head.statusCode()).isEqualTo(200);
        return Long.parseLong(head.headers().firstValue("Upload-Offset").orElseThrow());
    }
}
