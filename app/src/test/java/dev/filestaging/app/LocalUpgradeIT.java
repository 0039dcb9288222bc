package dev.filestaging.app;

import static dev.filestaging.app.E2e.body;
import static dev.filestaging.app.E2e.curl;
import static dev.filestaging.app.E2e.run;
import static dev.filestaging.app.E2e.status;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data directory written by the version before the catalog keeps working: {@code upgrade/data-dir-caba2bd.tar.gz}
 * was written by the jar of commit caba2bd through its HTTP API (six files in the default project, one in project
 * p2, one deleted, one finished tus upload, one tus upload left open at 11 of 20 bytes, the bootstrap key
 * {@value #KEY}); the two listings beside it are what that jar answered just before it stopped.
 */
class LocalUpgradeIT {
    private static final String KEY = "legacy-key-0123456789abcdef";
    private static final String OPEN_UPLOAD = "xKj-sFf6TnipGDSuzDYkgg";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    @Test
    void files_uploads_and_keys_of_the_earlier_version_are_served_as_they_were() throws Exception {
        Path data = unpack();
        try (RunningApp app = RunningApp.start(data, Map.of())) {
            assertThat(app.output()).contains("8 files and uploads of an earlier version imported");
            String files = app.baseUrl() + "/v1/files";
            assertThat(listing(files)).isEqualTo(expected("default"));
            assertThat(listing(app.baseUrl() + "/v1/projects/p2/files")).isEqualTo(expected("p2"));
            for (JsonNode file : expected("default").get("files")) {
                String content = files + "/" + encode(file.get("name").asText()) + "/content";
                Path download = work.resolve("download");
                assertThat(status(curl("-H", "Authorization: Bearer " + KEY, "-o", download.toString(), content)))
                        .isEqualTo(200);
                assertThat(E2e.md5(download)).as(file.get("name").asText())
                        .isEqualTo(file.get("digest").get("hash").asText());
            }
            // the upload left open goes on where the earlier version acknowledged it
            String upload = app.baseUrl() + "/v1/uploads/" + OPEN_UPLOAD;
            E2e.Result head = curl("-I", "-H", "Authorization: Bearer " + KEY, "-H", "Tus-Resumable: 1.0.0", upload);
            assertThat(head.output()).containsIgnoringCase("Upload-Offset: 11").containsIgnoringCase("Upload-Length: 20");
            E2e.Result patch = curl("-X", "PATCH", "-H", "Authorization: Bearer " + KEY, "-H", "Tus-Resumable: 1.0.0",
                    "-H", "Upload-Offset: 11", "-H", "Content-Type: application/offset+octet-stream",
                    "--data-binary", "\n1,a,2.5\n", "-D", "-", upload);
            assertThat(patch.output()).containsIgnoringCase("Staged-File: /v1/files/resumed.csv");
            E2e.Result resumed = curl("-H", "Authorization: Bearer " + KEY, files + "/resumed.csv/content");
            assertThat(resumed.output()).startsWith("id,name,val\n1,a,2.5\n");
        }
        // nothing of the old layout is left (but the file that keeps the earlier version from starting on it), and a
        // second start imports nothing and serves the same
        try (Stream<Path> top = Files.list(data)) {
            assertThat(top.map(path -> path.getFileName().toString())).doesNotContain("uploads", "quarantine");
        }
        assertThat(data.resolve("staging")).isRegularFile();
        try (RunningApp again = RunningApp.start(data, Map.of())) {
            assertThat(again.output()).doesNotContain("earlier version imported");
            JsonNode listed = listing(again.baseUrl() + "/v1/files");
            assertThat(listed.get("files")).hasSize(expected("default").get("files").size() + 1);
        }
    }

    private Path unpack() throws Exception {
        Path archive = work.resolve("data.tar.gz");
        try (InputStream in = LocalUpgradeIT.class.getResourceAsStream("/upgrade/data-dir-caba2bd.tar.gz")) {
            Files.copy(in, archive);
        }
        assertThat(run(List.of("tar", "-C", work.toString(), "-xzf", archive.toString()), Map.of()).exitCode())
                .isZero();
        // the open upload was written to expire a day after the fixture was made (a year at most): it is moved to a
        // day from now, as if the fixture had just been made, so that the test does not depend on its age
        Path record = work.resolve("data/uploads/" + OPEN_UPLOAD + "/upload.properties");
        String expires = java.time.Instant.now().plus(java.time.Duration.ofDays(1)).toString().replace(":", "\\:");
        Files.writeString(record, Files.readString(record).replaceAll("(?m)^expires=.*$",
                java.util.regex.Matcher.quoteReplacement("expires=" + expires)));
        return work.resolve("data");
    }

    private static JsonNode listing(String url) throws Exception {
        E2e.Result listed = curl("-H", "Authorization: Bearer " + KEY, url);
        assertThat(status(listed)).isEqualTo(200);
        return body(listed);
    }

    private static JsonNode expected(String project) throws Exception {
        try (InputStream in = LocalUpgradeIT.class.getResourceAsStream(
                "/upgrade/data-dir-caba2bd-" + project + ".json")) {
            return JSON.readTree(in);
        }
    }

    private static String encode(String name) {
        return java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }
}
