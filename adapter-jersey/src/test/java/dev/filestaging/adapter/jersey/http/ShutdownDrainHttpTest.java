package dev.filestaging.adapter.jersey.http;

import static dev.filestaging.adapter.jersey.ApiUnderTest.header;
import static org.assertj.core.api.Assertions.assertThat;

import dev.filestaging.adapter.jersey.ApiUnderTest;
import dev.filestaging.domain.storage.ResumableUploads;
import org.junit.jupiter.api.Test;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;

/** A stopping server cuts off a PATCH still arriving after the grace, and keeps what arrived, as a client's cut does. */
class ShutdownDrainHttpTest {

    @Test
    void a_patch_still_arriving_when_the_grace_ends_keeps_the_bytes_that_arrived() throws Exception {
        HttpSettings settings = ApiUnderTest.settings();
        settings = new HttpSettings(settings.host(), settings.port(), settings.maxUploadBytes(),
                settings.workerThreads(), settings.idleTimeout(), settings.minUploadBytesPerSecond(),
                settings.maxConcurrentUploads(), Duration.ofSeconds(1), settings.publicUrl(),
                settings.trustedProxies(), settings.corsOrigins());
        try (ApiUnderTest api = new ApiUnderTest(settings)) {
            HttpResponse<String> created = api.send(api.authorized("/v1/uploads").header("Tus-Resumable", "1.0.0")
                    .header("Upload-Length", "10000000").header("Upload-Metadata", "filename "
                            + Base64.getEncoder().encodeToString("drained.csv".getBytes(StandardCharsets.UTF_8)))
                    .POST(HttpRequest.BodyPublishers.noBody()));
            String location = java.net.URI.create(header(created, "Location")).getPath();
            String id = location.substring(location.lastIndexOf('/') + 1);
            byte[] part = "a,b\n".repeat(500_000).getBytes(StandardCharsets.US_ASCII); // 2,000,000 bytes

            try (Socket socket = new Socket("127.0.0.1", api.server.port())) {
                OutputStream out = socket.getOutputStream();
                out.write(("PATCH " + location + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + api.key
                        + "\r\nTus-Resumable: 1.0.0\r\nUpload-Offset: 0\r\n"
                        + "Content-Type: application/offset+octet-stream\r\nContent-Length: 10000000\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(part);
                out.flush();
                Thread.sleep(300); // the server reads them; the rest never comes

                boolean finished = api.server.stop();

                assertThat(finished).as("the PATCH did not finish within the grace").isFalse();
                ResumableUploads uploads = api.store.uploads();
                assertThat(uploads.status(id)).as("the upload is still open").isPresent();
                assertThat(uploads.status(id).orElseThrow().offset()).as("what arrived was kept")
                        .isEqualTo(part.length);
                try (var file = ((ResumableUploads.Opened.Writing) uploads.openForWriting(id)).file()) {
                    assertThat(Arrays.equals(file.readDurable().readAllBytes(), part)).isTrue();
                }
            }
        }
    }
}
