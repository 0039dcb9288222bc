package dev.filestaging.app;

import dev.filestaging.adapter.s3.testing.S3TestServer;
import dev.filestaging.ports.FileKey;
import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.StagingArea;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Where the app under test keeps its files, local disk or an S3 bucket (with the PostgreSQL catalog S3 needs): starts
 * the app on it, finds anything an upload left behind, and reads the stored bytes back without going through the app.
 */
abstract sealed class Backend permits Backend.LocalDisk, Backend.S3Bucket {
    static final String KEY = "reliability-bootstrap-key-0123456789";
    static final String AUTH = "Authorization: Bearer " + KEY;
    static final StagingArea AREA = StagingArea.defaultProjectOf(new OrganizationId("default"));

    final Path work;

    Backend(Path work) {
        this.work = work;
    }

    abstract String name();

    abstract Map<String, String> storageEnvironment();

    /** The port of the storage server the app connects to; -1 when it has none (local disk). */
    int storagePort() {
        return -1;
    }

    /** Half-written things in storage: temp directories, open multipart uploads, content no listed file owns. */
    abstract List<String> storageLeftovers(int listedFiles) throws IOException;

    /** The MD5 (hex, upper case) of every stored file's bytes, read from storage directly; one entry per stored copy. */
    abstract List<String> storedDigests() throws Exception;

    Path dataDirectory() {
        return work.resolve("data");
    }

    RunningApp start(Map<String, String> extra) throws Exception {
        return RunningApp.start(dataDirectory(), environment(extra));
    }

    RunningApp launch(Map<String, String> extra) throws IOException {
        return RunningApp.launch(dataDirectory(), environment(extra));
    }

    private Map<String, String> environment(Map<String, String> extra) {
        Map<String, String> environment = new HashMap<>(storageEnvironment());
        environment.put("FILES_BOOTSTRAP_API_KEY", KEY);
        environment.putAll(extra);
        return environment;
    }

    /**
     * Everything left behind: in storage, and in the app's own temp directory ({@code MIME*.tmp} and the like) but
     * the SQLite driver's native library, which it extracts there once per process (the library and its lock file,
     * removed when the process exits) and which no request adds to.
     */
    List<String> leftovers(RunningApp app, int listedFiles) throws IOException {
        List<String> found = new ArrayList<>(storageLeftovers(listedFiles));
        try (Stream<Path> temp = Files.list(app.jvmTemp)) {
            temp.map(path -> path.getFileName().toString())
                    .filter(name -> !SQLITE_NATIVE_LIBRARY.matcher(name).matches())
                    .forEach(name -> found.add("app temp file " + name));
        }
        return found;
    }

    private static final java.util.regex.Pattern SQLITE_NATIVE_LIBRARY =
            java.util.regex.Pattern.compile("sqlite-[0-9.]+-[0-9a-f-]{36}-libsqlitejdbc\\.so(\\.lck)?");

    @Override
    public String toString() {
        return name();
    }

    static final class LocalDisk extends Backend {
        LocalDisk(Path work) {
            super(work);
        }

        @Override
        String name() {
            return "local";
        }

        @Override
        Map<String, String> storageEnvironment() {
            return Map.of();
        }

        /**
         * Leftovers: bytes no acknowledged file has ({@code blobs/*.part}: no open upload is expected when asked),
         * anything of the earlier layout, and finished blobs that are not the listed files'.
         */
        @Override
        List<String> storageLeftovers(int listedFiles) throws IOException {
            List<String> found = new ArrayList<>();
            for (String scratch : List.of("tmp", "trash", "uploads", "staging")) {
                if (Files.isDirectory(dataDirectory().resolve(scratch))) { // a file 'staging' keeps old versions off
                    found.add(scratch + "/");
                }
            }
            found.addAll(unfinishedBlobs().stream().map(blob -> "blobs/" + blob.getFileName()).toList());
            long committed = finishedBlobs().size();
            if (committed != listedFiles) {
                found.add(committed + " finished blobs for " + listedFiles + " listed files");
            }
            return found;
        }

        /** The blobs being written: a one-request upload under way, an open tus upload. */
        List<Path> unfinishedBlobs() throws IOException {
            return blobs(true);
        }

        private List<Path> finishedBlobs() throws IOException {
            return blobs(false);
        }

        private List<Path> blobs(boolean unfinished) throws IOException {
            Path blobs = dataDirectory().resolve("blobs");
            if (!Files.isDirectory(blobs)) {
                return List.of();
            }
            try (Stream<Path> files = Files.list(blobs)) {
                return files.filter(file -> file.getFileName().toString().endsWith(".part") == unfinished).toList();
            }
        }

        @Override
        List<String> storedDigests() throws Exception {
            List<String> digests = new ArrayList<>();
            for (Path file : finishedBlobs()) {
                try (InputStream in = Files.newInputStream(file)) {
                    digests.add(E2e.md5(in));
                }
            }
            return digests;
        }
    }

    static final class S3Bucket extends Backend {
        private static final String PREFIX = "staging/";
        final S3TestServer s3;
        final String bucket;
        private final String endpoint;
        /** The PostgreSQL catalog that S3 storage needs, a database of the JVM's throwaway cluster per backend. */
        private final String catalogUrl;

        S3Bucket(Path work, S3TestServer s3, String bucket) {
            this(work, s3, bucket, s3.endpoint().toString());
        }

        @Override
        int storagePort() {
            return java.net.URI.create(endpoint).getPort();
        }

        /** With the app talking to S3 through {@code endpoint} (a fault-injecting proxy, say). */
        S3Bucket(Path work, S3TestServer s3, String bucket, String endpoint) {
            super(work);
            this.s3 = s3;
            this.bucket = bucket;
            this.endpoint = endpoint;
            this.catalogUrl = dev.filestaging.adapter.postgres.PostgresServer.shared().newDatabase();
        }

        @Override
        String name() {
            return "s3";
        }

        @Override
        Map<String, String> storageEnvironment() {
            Map<String, String> environment = new HashMap<>(S3TestServer.credentialsEnvironment());
            environment.putAll(Map.of(
                    "FILES_STORAGE", "s3",
                    "FILES_S3_BUCKET", bucket,
                    "FILES_S3_PREFIX", PREFIX.substring(0, PREFIX.length() - 1),
                    "FILES_S3_ENDPOINT", endpoint,
                    "FILES_S3_REQUEST_TIMEOUT_SECONDS", "3",
                    "FILES_CATALOG", "postgres",
                    "FILES_CATALOG_URL", catalogUrl,
                    "FILES_CATALOG_USER", dev.filestaging.adapter.postgres.PostgresServer.USER));
            return environment;
        }

        /** The finished blobs: one per staged file. */
        private List<S3Object> contentObjects() {
            return s3.objects(bucket, PREFIX + "blobs/");
        }

        @Override
        List<String> storageLeftovers(int listedFiles) {
            List<String> found = new ArrayList<>();
            s3.openMultipartUploads(bucket).forEach(upload -> found.add("open multipart upload " + upload.key()));
            s3.objects(bucket, PREFIX + "blob-tails/")
                    .forEach(object -> found.add("unfinished blob's " + object.key()));
            int content = contentObjects().size();
            if (content != listedFiles) {
                found.add(content + " finished blobs for " + listedFiles + " listed files");
            }
            return found;
        }

        @Override
        List<String> storedDigests() throws Exception {
            List<String> digests = new ArrayList<>();
            for (S3Object object : contentObjects()) {
                try (InputStream in = s3.client().getObject(b -> b.bucket(bucket).key(object.key()))) {
                    digests.add(E2e.md5(in));
                }
            }
            return digests;
        }
    }
}
