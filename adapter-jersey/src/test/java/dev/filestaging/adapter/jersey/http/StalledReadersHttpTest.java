package dev.filestaging.adapter.jersey.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.filestaging.adapter.jersey.ApiUnderTest;
import dev.filestaging.adapter.jersey.MultipartBody;
import dev.filestaging.domain.links.FileLinks;
import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.Role;
import dev.filestaging.ports.fixtures.InMemorySmallRecordStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Readers that never read (a 4 KiB receive buffer, nothing taken from it), as in issue 24: 50 such sockets on one
 * signed link took every transfer slot of the instance, and each slot came back only ~30 s after its reader stalled.
 * Now signed-link reads have a pool of their own, slots are shared by organization, and a stalled response is cut off
 * after the write stall timeout.
 */
class StalledReadersHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration STALL = Duration.ofSeconds(2);
    private static final int BIG = 32 << 20; // far more than the socket buffers and the write queue hold

    private ApiUnderTest api;
    private String globex;
    private final List<Socket> sockets = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        // 8 workers: 6 transfer slots, 2 of them for signed links
        api = new ApiUnderTest(ApiUnderTest.settings().withWriteStallTimeout(STALL),
                store -> new FileLinks(store, new InMemorySmallRecordStore(), Clock.systemUTC(), Duration.ofDays(1)));
        globex = api.apiKeys.issue(new OrganizationId("globex"), Set.of(Role.MANAGE_FILES)).secret();
        api.upload("/v1/files", "big.bin", new byte[BIG]);
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
        api.close();
    }

    @Test
    void fifty_sockets_stalled_on_one_signed_link_leave_another_organization_its_uploads_and_downloads()
            throws Exception {
        String link = URI.create(linkTo("big.bin")).getRawPath();
        int served = 0;
        for (int i = 0; i < 50; i++) {
            int status = status(stalledGet(link, null));
            assertThat(status).isIn(200, 503);
            served += status == 200 ? 1 : 0;
        }
        assertThat(served).as("link reads streaming at once").isEqualTo(2);

        String key = api.key;
        api.key = globex;
        api.upload("/v1/files", "mine.bin", new byte[1 << 20]);
        HttpResponse<byte[]> read = api.client.send(api.authorized("/v1/files/mine.bin/content").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.body()).hasSize(1 << 20);

        api.key = key;
        api.upload("/v1/files", "the-owner-too.bin", new byte[1 << 20]);
        assertThat(api.get("/v1/files/the-owner-too.bin/content").statusCode())
                .as("the organization whose link leaked still downloads").isEqualTo(200);
    }

    @Test
    void a_reader_that_stops_reading_loses_its_slot_within_the_write_stall_timeout() throws Exception {
        String link = URI.create(linkTo("big.bin")).getRawPath();
        assertThat(status(stalledGet(link, null))).isEqualTo(200);
        assertThat(status(stalledGet(link, null))).isEqualTo(200);
        long stalledAt = System.nanoTime();
        assertThat(api.client.send(HttpRequest.newBuilder(api.uri(link)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode()).as("both link slots held").isEqualTo(503);

        int status;
        do {
            Thread.sleep(100);
            status = api.client.send(HttpRequest.newBuilder(api.uri(link)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } while (status == 503 && System.nanoTime() - stalledAt < TimeUnit.SECONDS.toNanos(30));
        long freedAfterMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stalledAt);

        assertThat(status).isEqualTo(200);
        System.out.printf("stalled link slots freed after %d ms (write stall timeout %d ms)%n", freedAfterMillis,
                STALL.toMillis());
        assertThat(freedAfterMillis).as("freed within the stall timeout and a margin for filling the buffers")
                .isLessThan(STALL.toMillis() + 4_000);
        assertThat(drained(sockets.get(0))).as("the stalled response was cut short").isLessThan(BIG);
    }

    @Test
    void an_organization_reconnecting_stalled_downloads_cannot_keep_another_out() throws Exception {
        for (int i = 0; i < 6; i++) { // alone, the organization may take every slot
            assertThat(status(stalledGet("/v1/files/big.bin/content", api.key))).isEqualTo(200);
        }
        String key = api.key;
        Thread attacker = new Thread(() -> { // keeps taking every slot it can, as the issue's attacker did
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    status(stalledGet("/v1/files/big.bin/content", key));
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                } catch (IOException e) {
                    // the server cut it: take another
                }
            }
        });
        attacker.setDaemon(true);
        attacker.start();
        try {
            api.key = globex;
            long start = System.nanoTime();
            int status;
            do {
                status = api.client.send(api.authorized("/v1/files").header("Content-Type", MultipartBody.contentType())
                        .POST(HttpRequest.BodyPublishers.ofByteArray(MultipartBody.singleFile("in.csv",
                                "a\n".getBytes(StandardCharsets.UTF_8)))).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
                Thread.sleep(status == 503 ? 200 : 0);
            } while (status == 503 && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30));
            long admittedAfterMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(status).isEqualTo(201);
            System.out.printf("another organization's upload admitted after %d ms%n", admittedAfterMillis);
            assertThat(admittedAfterMillis).isLessThan(STALL.toMillis() + 4_000);
        } finally {
            attacker.interrupt();
            attacker.join(5_000);
        }
    }

    private String linkTo(String name) throws Exception {
        HttpResponse<String> made = api.send(api.authorized("/v1/files/" + name + "/links")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"expiresInSeconds\": 600}")));
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        return JSON.readTree(made.body()).get("url").asText();
    }

    /** A GET from a socket with a 4 KiB receive buffer, which will read no more than the status line. */
    private Socket stalledGet(String path, String key) throws IOException {
        Socket socket = new Socket();
        synchronized (sockets) {
            sockets.add(socket);
        }
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress("127.0.0.1", api.server.port()), 5_000);
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\n"
                + (key == null ? "" : "Authorization: Bearer " + key + "\r\n") + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        return socket;
    }

    private static int status(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) >= 0 && b != '\n'; ) {
            line.write(b);
        }
        String statusLine = line.toString(StandardCharsets.US_ASCII);
        return Integer.parseInt(statusLine.split(" ")[1]);
    }

    /** Reads what is left until the server closes; returns how many bytes came. */
    private static long drained(Socket socket) throws IOException {
        long total = 0;
        byte[] buffer = new byte[64 * 1024];
        try {
            for (int read; (read = socket.getInputStream().read(buffer)) >= 0; ) {
                total += read;
            }
        } catch (IOException reset) {
            // a cut connection may end in a reset
        }
        return total;
    }
}
