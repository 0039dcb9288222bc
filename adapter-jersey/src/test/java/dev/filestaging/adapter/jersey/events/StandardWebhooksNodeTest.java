package dev.filestaging.adapter.jersey.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.filestaging.ports.FileKey;
import dev.filestaging.ports.StoredFile;
import dev.filestaging.ports.events.Change;
import dev.filestaging.ports.out.events.WebhookTransport.Message;
import dev.filestaging.ports.out.events.WebhookTransport.Result;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A receiver written with the specification's own library (npm {@code standardwebhooks}) in Node verifies what the
 * transport sends: nobody here wrote the verifier. Skipped where Node or npm is not installed.
 */
class StandardWebhooksNodeTest {
    private static final Path RECEIVER = Path.of("target", "standardwebhooks-node");
    private static final String SECRET = WebhookSecrets.newSecret();

    private static Process node;
    private static final BlockingQueue<String> LINES = new LinkedBlockingQueue<>();
    private static int port;

    @BeforeAll
    static void startReceiver() throws Exception {
        Assumptions.assumeTrue(runs("node") && runs("npm"), "node and npm are needed");
        Files.createDirectories(RECEIVER);
        Files.copy(Path.of("src", "test", "resources", "events", "receiver.cjs"), RECEIVER.resolve("receiver.cjs"),
                StandardCopyOption.REPLACE_EXISTING);
        if (!Files.isDirectory(RECEIVER.resolve("node_modules").resolve("standardwebhooks"))) {
            Process install = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--prefix",
                    RECEIVER.toAbsolutePath().toString(), "standardwebhooks@1.3.0").redirectErrorStream(true).start();
            String output = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(install.waitFor(5, TimeUnit.MINUTES)).isTrue();
            assertThat(install.exitValue()).as(output).isZero();
        }
        node = new ProcessBuilder("node", RECEIVER.resolve("receiver.cjs").toAbsolutePath().toString(), SECRET)
                .redirectErrorStream(true).start();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    LINES.add(line);
                }
            } catch (IOException ended) {
                // the process went away
            }
        });
        reader.setDaemon(true);
        reader.start();
        String listening = LINES.poll(30, TimeUnit.SECONDS);
        assertThat(listening).as("the receiver starts").startsWith("listening ");
        port = Integer.parseInt(listening.substring("listening ".length()));
    }

    @AfterAll
    static void stopReceiver() throws InterruptedException {
        if (node != null) {
            node.destroy();
            node.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void the_reference_verifier_accepts_what_the_transport_signs_with_the_old_and_the_new_secret() throws Exception {
        HttpWebhookTransport transport = new HttpWebhookTransport(HttpWebhookTransportTest.settings(true));
        Change named = Change.ofFile(5, Change.Kind.COMMITTED, CloudEventsTest.FILE, Instant.now());
        Change unicode = Change.ofFile(6, Change.Kind.DELETED, new StoredFile(
                CloudEventsTest.FILE.id(), new FileKey(CloudEventsTest.AREA, "données/é—✓.csv"), 1, null, null,
                CloudEventsTest.FILE.digest(), "sa-1", Instant.now()), Instant.now());

        for (List<String> secrets : List.of(List.of(SECRET), List.of(WebhookSecrets.newSecret(), SECRET))) {
            for (Change change : List.of(named, unicode)) {
                Result result = transport.deliver(receiver(), secrets, new Message(change, Instant.now()));
                assertThat(result).as(LINES.toString()).isEqualTo(new Result.Delivered(204));
                assertThat(LINES.poll(5, TimeUnit.SECONDS))
                        .isEqualTo("verified " + change.kind().type() + " " + change.key().name());
            }
        }
    }

    @Test
    void the_reference_verifier_rejects_a_signature_by_another_secret_or_an_old_timestamp() throws Exception {
        HttpWebhookTransport transport = new HttpWebhookTransport(HttpWebhookTransportTest.settings(true));
        Change change = CloudEventsTest.everyKind().get(0);

        Result otherSecret = transport.deliver(receiver(), List.of(WebhookSecrets.newSecret()),
                new Message(change, Instant.now()));
        assertThat(otherSecret).isInstanceOfSatisfying(Result.Failed.class,
                failed -> assertThat(failed.error()).isEqualTo("HTTP 400: No matching signature found"));
        assertThat(LINES.poll(5, TimeUnit.SECONDS)).startsWith("rejected ");

        Result stale = transport.deliver(receiver(), List.of(SECRET),
                new Message(change, Instant.now().minusSeconds(600)));
        assertThat(stale).isInstanceOfSatisfying(Result.Failed.class,
                failed -> assertThat(failed.error()).isEqualTo("HTTP 400: Message timestamp too old"));
        assertThat(LINES.poll(5, TimeUnit.SECONDS)).startsWith("rejected ");
    }

    private static URI receiver() {
        return URI.create("http://127.0.0.1:" + port + "/webhooks");
    }

    private static boolean runs(String command) {
        try {
            Process process = new ProcessBuilder(command, "--version").redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException | InterruptedException missing) {
            return false;
        }
    }
}
