package dev.filestaging.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Webhook receivers nobody here wrote the verification of: one in Node with the Standard Webhooks library (npm
 * {@code standardwebhooks}), one in Python that reads each committed CSV with pandas through a signed link. Each
 * appends what it received to a file; {@link #delivered} reads it back, first delivery of each webhook-id only.
 */
final class WebhookReceivers {
    static final Path NODE = Path.of("target", "webhooks-node");

    private WebhookReceivers() {
    }

    /** The library, installed once per build next to the receiver. */
    static void install() throws Exception {
        Files.createDirectories(NODE);
        for (String script : List.of("node-receiver.cjs", "pandas-receiver.py")) {
            Files.copy(Path.of("src", "test", "resources", "events", script), NODE.resolve(script),
                    StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.isDirectory(NODE.resolve("node_modules").resolve("standardwebhooks"))) {
            E2e.Result installed = E2e.run(List.of("npm", "install", "--no-audit", "--no-fund", "--prefix",
                    NODE.toAbsolutePath().toString(), "standardwebhooks@1.3.0"), Map.of());
            assertThat(installed.exitCode()).as(installed.output()).isZero();
        }
    }

    /** Starts the Node receiver on {@code port}; {@code misbehaviour} as its script reads it (FAIL_FIRST...). */
    static Process node(int port, String secret, Path out, Map<String, String> misbehaviour) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("node", NODE.resolve("node-receiver.cjs").toAbsolutePath()
                .toString(), Integer.toString(port), secret, out.toString()).redirectErrorStream(true)
                .redirectOutput(out.resolveSibling(out.getFileName() + ".log").toFile());
        builder.environment().putAll(misbehaviour);
        return listening(builder.start(), port);
    }

    /** Starts the pandas receiver on {@code port}. */
    static Process pandas(int port, String secret, String api, String key, Path out) throws Exception {
        String python = E2e.pythonWith("pandas", "python3-pandas");
        ProcessBuilder builder = new ProcessBuilder(python, NODE.resolve("pandas-receiver.py").toAbsolutePath()
                .toString(), Integer.toString(port), secret, api, key, out.toString()).redirectErrorStream(true)
                .redirectOutput(out.resolveSibling(out.getFileName() + ".log").toFile());
        return listening(builder.start(), port);
    }

    private static Process listening(Process process, int port) throws Exception {
        await(Duration.ofSeconds(20), () -> {
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
                return true;
            } catch (java.io.IOException notYet) {
                return !process.isAlive();
            }
        }, "the receiver to listen");
        assertThat(process.isAlive()).as("the receiver runs").isTrue();
        return process;
    }

    static void kill(Process receiver) throws InterruptedException {
        receiver.destroyForcibly();
        receiver.waitFor(10, TimeUnit.SECONDS);
    }

    /** Each line of {@code out} by its first word (the webhook-id), the first time it came: duplicates removed. */
    static Map<String, String> delivered(Path out) throws Exception {
        Map<String, String> first = new LinkedHashMap<>();
        if (Files.exists(out)) {
            for (String line : Files.readAllLines(out)) {
                assertThat(line).as("a delivery that did not verify").doesNotStartWith("INVALID");
                first.putIfAbsent(line.substring(0, line.indexOf(' ')), line.substring(line.indexOf(' ') + 1));
            }
        }
        return first;
    }

    /** The sequence numbers the Node receiver got, in the order it first got them. */
    static List<Long> sequences(Path out) throws Exception {
        List<Long> sequences = new ArrayList<>();
        for (String rest : delivered(out).values()) {
            sequences.add(Long.parseLong(rest.split(" ")[0]));
        }
        return sequences;
    }

    static void await(Duration timeout, BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + timeout.toSeconds() + " s for " + what);
            }
            Thread.sleep(100);
        }
    }
}
