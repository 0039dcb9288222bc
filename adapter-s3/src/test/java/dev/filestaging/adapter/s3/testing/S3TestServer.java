package dev.filestaging.adapter.s3.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A real S3 server for tests, run from its executable jar in a JVM of its own (so its dependencies never meet our
 * classpath), on loopback, storing on disk under a directory of the test's, checking AWS signatures. It keeps its
 * files across {@link #stop()} and {@link #start()}, so tests can take S3 away and bring it back.
 *
 * <p>Two servers are available. {@link Kind#S3PROXY} (S3Proxy on its file-system back end) is the default because it
 * makes {@code If-None-Match: *} atomic: 0 of 300 eight-way races on one key had more than one winner. Adobe S3Mock
 * (4.12 and 5.2) checks the condition without a lock: 35 of 50 such races had two or more winners, so it cannot prove
 * that names stay unique; tests use it where a second, independent implementation of S3 helps.
 */
public final class S3TestServer implements AutoCloseable {

    /**
     * S3Proxy and S3Mock run from their jars in a JVM of their own; CEPH_RGW is a single-node Ceph cluster (monitor,
     * memstore OSD, RADOS Gateway) started from Debian's packages by {@code ceph-rgw.sh}, a real distributed store.
     */
    public enum Kind { S3PROXY, S3MOCK, CEPH_RGW }

    public static final String ACCESS_KEY = "test-access-key";
    public static final String SECRET_KEY = "test-secret-key";
    public static final String REGION = "us-east-1";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Kind kind;
    private final boolean checksSignatures;
    private final Path root;
    private final int httpPort;
    private final int httpsPort;
    private Process process;
    /** The options of a training run for the class-data archive; null for a server of the tests. */
    private List<String> recordingOptions;
    private S3Client client;

    private S3TestServer(Kind kind, boolean checksSignatures, Path root, int httpPort, int httpsPort) {
        this.kind = kind;
        this.checksSignatures = checksSignatures;
        this.root = root;
        this.httpPort = httpPort;
        this.httpsPort = httpsPort;
    }

    /** Starts S3Proxy storing under {@code directory} and waits until it answers. */
    public static S3TestServer start(Path directory) throws IOException {
        return start(Kind.S3PROXY, directory);
    }

    public static S3TestServer start(Kind kind, Path directory) throws IOException {
        S3TestServer server = new S3TestServer(kind, true, directory, freePort(), freePort());
        server.start();
        return server;
    }

    /** S3Proxy accepting any request unsigned, for tests that must alter requests on the way (a faulty proxy). */
    public static S3TestServer startWithoutAuthentication(Path directory) throws IOException {
        S3TestServer server = new S3TestServer(Kind.S3PROXY, false, directory, freePort(), freePort());
        server.start();
        return server;
    }

    public Kind kind() {
        return kind;
    }

    /** Environment for a process whose AWS SDK should use this server's credentials. */
    public static Map<String, String> credentialsEnvironment() {
        return Map.of("AWS_ACCESS_KEY_ID", ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", SECRET_KEY, "AWS_REGION", REGION);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + httpPort);
    }

    /** (Re)starts the server on the same port and files. */
    public synchronized void start() throws IOException {
        if (kind == Kind.CEPH_RGW) {
            startCeph();
            return;
        }
        if (process != null && process.isAlive()) {
            return;
        }
        Files.createDirectories(root);
        process = new ProcessBuilder(command())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(root.resolve(kind.name().toLowerCase() + ".log").toFile()))
                .start();
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (!answers()) {
            if (!process.isAlive()) {
                throw new IllegalStateException(kind + " exited with " + process.exitValue() + "; see "
                        + root.resolve(kind.name().toLowerCase() + ".log"));
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException(kind + " did not answer within " + START_TIMEOUT);
            }
            sleep(100);
        }
    }

    /** Starts the Ceph daemons (they run in the background) and waits until the gateway answers. */
    private void startCeph() throws IOException {
        if (answers()) {
            return; // running already
        }
        for (String tool : List.of("radosgw", "ceph-mon", "ceph-osd", "ceph-authtool", "radosgw-admin")) {
            if (!onPath(tool)) {
                throw new IllegalStateException("the Ceph RGW tests need " + tool + ": apt-get install"
                        + " --no-install-recommends radosgw ceph-mon ceph-osd ceph-common (.ci/run does)");
            }
        }
        Path script = root.resolve("ceph-rgw.sh");
        try (var in = S3TestServer.class.getResourceAsStream("ceph-rgw.sh")) {
            Files.copy(in, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Path cluster = Files.createDirectories(root.resolve("cluster"));
        Process setup = new ProcessBuilder("bash", script.toString(), cluster.toString(), Integer.toString(httpPort),
                ACCESS_KEY, SECRET_KEY)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(root.resolve("ceph.log").toFile()))
                .start();
        try {
            if (!setup.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS) || setup.exitValue() != 0) {
                setup.destroyForcibly();
                stopCeph();
                throw new IllegalStateException("the Ceph cluster did not start; see " + root.resolve("ceph.log")
                        + " and " + cluster.resolve("log"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting Ceph", e);
        }
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (!answers()) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("the RADOS Gateway did not answer within " + START_TIMEOUT);
            }
            sleep(100);
        }
    }

    /** Kills the Ceph daemons by the pids they wrote; the cluster's data lived in memory and is gone. */
    private void stopCeph() {
        Path run = root.resolve("cluster").resolve("run");
        if (!Files.isDirectory(run)) {
            return;
        }
        try (var pidFiles = Files.list(run)) {
            for (Path pidFile : pidFiles.filter(p -> p.toString().endsWith(".pid")).toList()) {
                ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip())).ifPresent(daemon -> {
                    daemon.destroyForcibly();
                    daemon.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> daemon).join();
                });
            }
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("could not stop the Ceph daemons under " + run, e);
        }
    }

    private static boolean onPath(String tool) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        return java.util.Arrays.stream(path.split(":")).anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
    }

    /** Kills the server (as an outage would); its files stay for {@link #start()}. */
    public synchronized void stop() {
        if (kind == Kind.CEPH_RGW) {
            stopCeph();
            return;
        }
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** A plain SDK client of this server, to look underneath the code under test. */
    public synchronized S3Client client() {
        if (client == null) {
            client = S3Client.builder()
                    .endpointOverride(endpoint())
                    .forcePathStyle(true)
                    .region(Region.of(REGION))
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                    // RGW 16 refuses the SDK's default trailer checksums
                    .requestChecksumCalculation(kind == Kind.CEPH_RGW
                            ? software.amazon.awssdk.core.checksums.RequestChecksumCalculation.WHEN_REQUIRED
                            : software.amazon.awssdk.core.checksums.RequestChecksumCalculation.WHEN_SUPPORTED)
                    .build();
        }
        return client;
    }

    public void createBucket(String bucket) {
        client().createBucket(b -> b.bucket(bucket));
    }

    /** Multipart uploads started and neither completed nor aborted. */
    public List<MultipartUpload> openMultipartUploads(String bucket) {
        return client().listMultipartUploads(b -> b.bucket(bucket)).uploads();
    }

    public List<S3Object> objects(String bucket, String prefix) {
        return client().listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream().toList();
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.close();
            client = null;
        }
        stop();
    }

    private List<String> command() throws IOException {
        String property = kind == Kind.S3PROXY ? "s3proxy.jar" : "s3mock.jar";
        Path jar = Path.of(System.getProperty(property, "target/s3-servers/" + property));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(kind + " jar not found at " + jar.toAbsolutePath()
                    + "; the build copies it there (maven-dependency-plugin)");
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        // S3Proxy is started dozens of times per build; S3Mock twice, fewer than its training run would repay
        List<String> archive = recordingOptions != null ? recordingOptions
                : kind == Kind.S3PROXY ? ClassDataArchive.optionsFor(jar, recording -> train(kind, recording))
                : List.of();
        List<String> jvm = concat(concat(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
                archive), List.of("-jar", jar.toAbsolutePath().toString()));
        if (kind == Kind.S3MOCK) {
            return concat(jvm, List.of(
                    "--com.adobe.testing.s3mock.httpPort=" + httpPort,
                    "--server.port=" + httpsPort,
                    "--server.address=127.0.0.1",
                    "--com.adobe.testing.s3mock.store.root=" + root.resolve("store").toAbsolutePath(),
                    "--com.adobe.testing.s3mock.store.retainFilesOnExit=true",
                    "--logging.level.root=WARN"));
        }
        Path blobs = Files.createDirectories(root.resolve("blobs"));
        Path properties = root.resolve("s3proxy.properties");
        Files.writeString(properties, String.join("\n",
                "s3proxy.endpoint=" + endpoint(),
                "s3proxy.authorization=" + (checksSignatures ? "aws-v2-or-v4" : "none"),
                "s3proxy.identity=" + ACCESS_KEY,
                "s3proxy.credential=" + SECRET_KEY,
                "jclouds.provider=filesystem",
                "jclouds.filesystem.basedir=" + blobs.toAbsolutePath(),
                ""));
        return concat(jvm, List.of("--properties", properties.toAbsolutePath().toString()));
    }

    /** A server of this kind started with the recording options, asked what the tests ask most, and stopped. */
    private static void train(Kind kind, List<String> recording) throws Exception {
        Path directory = Files.createTempDirectory("s3-server-cds-");
        S3TestServer server = new S3TestServer(kind, false, directory, freePort(), freePort());
        server.recordingOptions = recording;
        server.start();
        try {
            java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
            String bucket = server.endpoint() + "/training";
            for (java.net.http.HttpRequest request : List.of(
                    java.net.http.HttpRequest.newBuilder(URI.create(bucket)).PUT(java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
                    java.net.http.HttpRequest.newBuilder(URI.create(bucket + "/k")).PUT(java.net.http.HttpRequest.BodyPublishers.ofString("x")).build(),
                    java.net.http.HttpRequest.newBuilder(URI.create(bucket + "/k")).build(),
                    java.net.http.HttpRequest.newBuilder(URI.create(bucket + "?list-type=2")).build(),
                    java.net.http.HttpRequest.newBuilder(URI.create(bucket + "/k")).DELETE().build())) {
                client.send(request, java.net.http.HttpResponse.BodyHandlers.discarding());
            }
        } finally {
            ClassDataArchive.stop(server.process);
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private boolean answers() {
        try {
            HttpURLConnection connection = (HttpURLConnection) endpoint().toURL().openConnection();
            connection.setConnectTimeout(500);
            connection.setReadTimeout(2000);
            int status = connection.getResponseCode();
            connection.disconnect();
            return status == 200 || status == 403;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the S3 server", e);
        }
    }
}
