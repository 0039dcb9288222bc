package dev.filestaging.app;

import static dev.filestaging.app.E2e.body;
import static dev.filestaging.app.E2e.curl;
import static dev.filestaging.app.E2e.md5;
import static dev.filestaging.app.E2e.randomFile;
import static dev.filestaging.app.E2e.status;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's nginx recipe, as written there, in front of the jar (Debian's nginx, started by the test): a 1 GiB
 * upload and a resumable one stream through it, and the addresses the app hands out are the public URL's.
 */
class ProxyIT {
    private static final String KEY = "proxy-it-key-0123456789abcdef";

    @TempDir
    Path work;
    private RunningApp app;
    private Process nginx;

    @AfterEach
    void stop() throws Exception {
        if (nginx != null) {
            nginx.destroy();
            nginx.waitFor();
        }
        if (app != null) {
            app.close();
        }
    }

    @Test
    void a_1_gib_upload_and_a_tus_upload_stream_through_the_readme_nginx_recipe() throws Exception {
        int proxyPort = RunningApp.freePort();
        String publicUrl = "http://127.0.0.1:" + proxyPort;
        app = RunningApp.start(work.resolve("data"), Map.of("FILES_BOOTSTRAP_API_KEY", KEY, "FILES_PUBLIC_URL",
                publicUrl, "FILES_TRUSTED_PROXIES", "127.0.0.1"));
        startNginx(proxyPort, app.port);
        String auth = "Authorization: Bearer " + KEY;

        Path big = randomFile(work.resolve("big.bin"), 1L << 30);
        E2e.Result upload = curl("-D", "-", "-H", auth, "-F", "file=@" + big, publicUrl + "/v1/files");
        assertThat(status(upload)).as(upload.output()).isEqualTo(201);
        assertThat(upload.output()).contains("Location: " + publicUrl + "/v1/files/big.bin");
        assertThat(upload.output()).as("nginx's request id reaches the app and comes back")
                .containsPattern("X-Request-Id: [0-9a-f]{32}");
        assertThat(body(curl("-H", auth, publicUrl + "/v1/files/big.bin")).path("digest").path("hash").asText())
                .isEqualTo(md5(big));
        try (Stream<Path> spooled = Files.list(work.resolve("nginx").resolve("tmp"))) {
            assertThat(spooled).as("nothing spooled on the proxy's disk").isEmpty();
        }

        Path small = randomFile(work.resolve("resumed.csv"), 12L << 20);
        E2e.Result created = curl("-D", "-", "-X", "POST", "-H", auth, "-H", "Tus-Resumable: 1.0.0", "-H",
                "Upload-Length: " + Files.size(small), "-H", "Upload-Metadata: filename "
                        + java.util.Base64.getEncoder().encodeToString("resumed.csv".getBytes()), publicUrl + "/v1/uploads");
        String location = created.output().lines().filter(l -> l.startsWith("Location: ")).findFirst().orElseThrow()
                .substring("Location: ".length()).strip();
        assertThat(location).startsWith(publicUrl + "/v1/uploads/");
        byte[] bytes = Files.readAllBytes(small);
        Path first = work.resolve("first");
        Path second = work.resolve("second");
        Files.write(first, java.util.Arrays.copyOfRange(bytes, 0, 5 << 20));
        Files.write(second, java.util.Arrays.copyOfRange(bytes, 5 << 20, bytes.length));
        for (Path[] chunk : new Path[][] {{first, Path.of("0")}, {second, Path.of(Integer.toString(5 << 20))}}) {
            E2e.Result patched = curl("-D", "-", "-X", "PATCH", "-H", auth, "-H", "Tus-Resumable: 1.0.0", "-H",
                    "Content-Type: application/offset+octet-stream", "-H", "Upload-Offset: " + chunk[1], "-T",
                    chunk[0].toString(), location);
            assertThat(status(patched)).as(patched.output()).isEqualTo(204);
        }
        assertThat(body(curl("-H", auth, publicUrl + "/v1/files/resumed.csv")).path("digest").path("hash").asText())
                .isEqualTo(md5(small));

        // a signed link made through the proxy points at the proxy, and reads the file there without credentials
        String link = body(curl("-X", "POST", "-H", auth, publicUrl + "/v1/files/resumed.csv/links")).path("url").asText();
        assertThat(link).startsWith(publicUrl + "/v1/links/");
        Path read = work.resolve("read-through-link");
        assertThat(status(curl("-o", read.toString(), link))).isEqualTo(200);
        assertThat(md5(read)).isEqualTo(md5(small));
    }

    /** The README's server block, listening on {@code port} and proxying to {@code appPort}. */
    private void startNginx(int port, int appPort) throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        int start = readme.indexOf("```nginx\n") + "```nginx\n".length();
        String server = readme.substring(start, readme.indexOf("```", start))
                .replace("listen 80;", "listen 127.0.0.1:" + port + ";")
                .replace("http://127.0.0.1:8080", "http://127.0.0.1:" + appPort);
        assertThat(server).contains("127.0.0.1:" + port, "127.0.0.1:" + appPort);
        Path root = Files.createDirectories(work.resolve("nginx"));
        Files.createDirectories(root.resolve("tmp"));
        Files.writeString(root.resolve("nginx.conf"), "worker_processes 1;\npid " + root.resolve("nginx.pid")
                + ";\nerror_log " + root.resolve("error.log") + ";\nevents { worker_connections 256; }\nhttp {\n"
                + "access_log " + root.resolve("access.log") + ";\n"
                + "client_body_temp_path " + root.resolve("tmp") + ";\nproxy_temp_path " + root.resolve("tmp") + ";\n"
                + "fastcgi_temp_path " + root.resolve("tmp") + ";\nuwsgi_temp_path " + root.resolve("tmp") + ";\n"
                + "scgi_temp_path " + root.resolve("tmp") + ";\n" + server + "}\n");
        String binary = Files.isExecutable(Path.of("/usr/sbin/nginx")) ? "/usr/sbin/nginx" : "nginx";
        nginx = new ProcessBuilder(List.of(binary, "-p", root.toString(), "-c", root.resolve("nginx.conf").toString(),
                "-g", "daemon off;" + (isRoot() ? " user root;" : ""))).redirectErrorStream(true)
                .redirectOutput(root.resolve("stdout.log").toFile()).start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            try (java.net.Socket probe = new java.net.Socket("127.0.0.1", port)) {
                return;
            } catch (java.io.IOException notYet) {
                assertThat(nginx.isAlive()).as("nginx started: " + Files.readString(root.resolve("stdout.log")))
                        .isTrue();
                Thread.sleep(50);
            }
        }
        throw new AssertionError("nginx did not listen on " + port);
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
