package dev.filestaging.app;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The real jar in its own JVM, as an operator starts it: for end-to-end tests. */
final class RunningApp implements AutoCloseable {
    static final Path JAR = Path.of(System.getProperty("files.app.jar", "target/files-app.jar"));

    final Process process;
    final int port;
    final Path output;
    /** The app's {@code java.io.tmpdir}, its own, so tests can see that nothing is left in it. */
    final Path jvmTemp;

    private RunningApp(Process process, int port, Path output, Path jvmTemp) {
        this.process = process;
        this.port = port;
        this.output = output;
        this.jvmTemp = jvmTemp;
    }

    /** Starts the jar with {@code -Xmx64m} and the given environment, and waits until it is healthy. */
    static RunningApp start(Path dataDirectory, Map<String, String> environment) throws Exception {
        return start(dataDirectory, environment, "64m");
    }

    /** Starts the jar with this maximum heap ({@code -Xmx}) and waits until it is healthy. */
    static RunningApp start(Path dataDirectory, Map<String, String> environment, String maxHeap) throws Exception {
        RunningApp app = launch(dataDirectory, environment, maxHeap);
        app.awaitHealthy();
        return app;
    }

    /** Starts the jar without waiting: for tests of start-up failures. */
    static RunningApp launch(Path dataDirectory, Map<String, String> environment) throws IOException {
        return launch(dataDirectory, environment, "64m");
    }

    private static RunningApp launch(Path dataDirectory, Map<String, String> environment, String maxHeap)
            throws IOException {
        return launch(dataDirectory, environment, maxHeap, archiveOptions());
    }

    /** @param classData how the JVM uses the class-data archive: map it, or (the training run) record it */
    private static RunningApp launch(Path dataDirectory, Map<String, String> environment, String maxHeap,
                                     List<String> classData) throws IOException {
        int port = environment.containsKey("FILES_HTTP_PORT") ? Integer.parseInt(environment.get("FILES_HTTP_PORT")) : freePort();
        Path output = Files.createTempFile("files-app-", ".log");
        output.toFile().deleteOnExit(); // read by the tests while they run; no use after
        Path jvmTemp = Files.createDirectories(dataDirectory.toAbsolutePath().resolveSibling(
                dataDirectory.getFileName() + "-jvm-tmp"));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + maxHeap,
                "-Djava.io.tmpdir=" + jvmTemp));
        command.addAll(classData);
        command.addAll(List.of("-jar", JAR.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(key -> key.startsWith("FILES_") || key.startsWith("AWS_"));
        Map<String, String> settings = new HashMap<>(environment);
        settings.putIfAbsent("FILES_HTTP_PORT", Integer.toString(port));
        settings.putIfAbsent("FILES_DATA_DIR", dataDirectory.toString());
        env.putAll(settings);
        return new RunningApp(builder.start(), port, output, jvmTemp);
    }

    /** Start-up options mapping the jar's classes from its class-data archive, made by the first call. */
    private static List<String> archiveOptions() {
        return dev.filestaging.adapter.s3.testing.ClassDataArchive.optionsFor(JAR, RunningApp::train);
    }

    /** Runs the jar as the suites do most (start, upload, list, stop), for its class-data archive. */
    private static void train(List<String> recording) throws Exception {
        String key = "class-data-archive-training-key";
        RunningApp app = launch(Files.createTempDirectory("files-app-cds-").resolve("data"),
                Map.of("FILES_BOOTSTRAP_API_KEY", key), "64m", recording);
        try {
            app.awaitHealthy();
            HttpClient client = HttpClient.newHttpClient();
            String boundary = "training";
            client.send(HttpRequest.newBuilder(URI.create(app.baseUrl() + "/v1/files"))
                    .header("Authorization", "Bearer " + key)
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.ofString("--" + boundary + "\r\nContent-Disposition: form-data;"
                            + " name=\"file\"; filename=\"t.csv\"\r\n\r\na,b\n1,2\n\r\n--" + boundary + "--\r\n"))
                    .build(), HttpResponse.BodyHandlers.discarding());
            client.send(HttpRequest.newBuilder(URI.create(app.baseUrl() + "/v1/files?limit=10"))
                    .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.discarding());
        } finally {
            dev.filestaging.adapter.s3.testing.ClassDataArchive.stop(app.process);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    String output() throws IOException {
        return Files.readString(output);
    }

    void awaitHealthy() throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the app exited with " + process.exitValue() + ":\n" + output());
            }
            try {
                HttpResponse<Void> response = client.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/health")).build(),
                        HttpResponse.BodyHandlers.discarding());
                // The banner is printed just after the server starts answering; a test reading the console needs it.
                if (response.statusCode() == 200 && output().contains(" listening on http://")) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the app did not become healthy:\n" + output());
    }

    /** Bytes this process has caused to be written to storage so far (Linux /proc/PID/io). */
    long writeBytes() throws IOException {
        return procIoField("write_bytes");
    }

    /** Live threads of the app's JVM (/proc/PID/status). */
    int threads() throws IOException {
        return (int) procStatusField("Threads:");
    }

    /** The app's threads by name, digits folded, with counts: to tell which pool grew. */
    java.util.Map<String, Long> threadNames() throws Exception {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        String dump = E2e.run(List.of(jcmd, Long.toString(process.pid()), "Thread.print"), Map.of()).output();
        return dump.lines().filter(line -> line.startsWith("\""))
                .map(line -> line.substring(1, line.indexOf('"', 1)).replaceAll("\\d+", "#"))
                .collect(java.util.stream.Collectors.groupingBy(name -> name, java.util.TreeMap::new,
                        java.util.stream.Collectors.counting()));
    }

    /** Open file descriptors of the app: files, sockets, pipes (/proc/PID/fd). */
    int openFileDescriptors() throws IOException {
        try (java.util.stream.Stream<Path> fds = Files.list(Path.of("/proc/" + process.pid() + "/fd"))) {
            return (int) fds.count();
        }
    }

    /**
     * Open file descriptors but the app's connections to {@code remotePort} (its S3 server, whose pooled keep-alive
     * connections the SDK bounds and keeps as it sees fit: they are not leaks); all of them for a negative port.
     */
    int openFileDescriptorsBut(int remotePort) throws IOException {
        int all = openFileDescriptors();
        if (remotePort < 0) {
            return all;
        }
        java.util.Set<String> inodes = new java.util.HashSet<>();
        for (String table : List.of("tcp", "tcp6")) {
            Path file = Path.of("/proc/" + process.pid() + "/net/" + table);
            if (!Files.exists(file)) {
                continue;
            }
            List<String> lines = Files.readAllLines(file);
            for (String line : lines.subList(1, lines.size())) { // after the column titles
                String[] fields = line.trim().split("\\s+");
                String remote = fields[2];
                if (Integer.parseInt(remote.substring(remote.indexOf(':') + 1), 16) == remotePort) {
                    inodes.add(fields[9]);
                }
            }
        }
        long toStorage;
        try (java.util.stream.Stream<Path> fds = Files.list(Path.of("/proc/" + process.pid() + "/fd"))) {
            toStorage = fds.filter(fd -> {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    return target.startsWith("socket:[") && inodes.contains(target.substring(8, target.length() - 1));
                } catch (IOException gone) {
                    return false;
                }
            }).count();
        }
        return all - (int) toStorage;
    }

    /** What the app's file descriptors point at, counted by kind (sockets, pipes, files by path): for failure messages. */
    java.util.Map<String, Long> fileDescriptorTargets() throws IOException {
        try (java.util.stream.Stream<Path> fds = Files.list(Path.of("/proc/" + process.pid() + "/fd"))) {
            return fds.map(fd -> {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    return target.startsWith("socket:") ? "socket" : target.startsWith("pipe:") ? "pipe" : target;
                } catch (IOException gone) {
                    return "(closed meanwhile)";
                }
            }).collect(java.util.stream.Collectors.groupingBy(t -> t, java.util.TreeMap::new,
                    java.util.stream.Collectors.counting()));
        }
    }

    /** Heap in use right after a full collection, in KiB: what the app really keeps (jcmd GC.run, GC.heap_info). */
    long heapAfterFullGcKib() throws Exception {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        E2e.run(List.of(jcmd, Long.toString(process.pid()), "GC.run"), Map.of());
        String info = E2e.run(List.of(jcmd, Long.toString(process.pid()), "GC.heap_info"), Map.of()).output();
        java.util.regex.Matcher used = java.util.regex.Pattern.compile("used (\\d+)K").matcher(info);
        if (!used.find()) {
            throw new IllegalStateException("no heap figure in: " + info);
        }
        return Long.parseLong(used.group(1));
    }

    long peakResidentKib() throws IOException {
        return procStatusField("VmHWM:");
    }

    private long procStatusField(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no " + field + " in /proc/" + process.pid() + "/status");
    }

    private long procIoField(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/io"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1).trim());
            }
        }
        throw new IllegalStateException("no " + field + " in /proc/" + process.pid() + "/io");
    }

    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            kill();
        }
    }
}
