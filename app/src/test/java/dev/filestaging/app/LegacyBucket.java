package dev.filestaging.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A bucket written by the bucket-only catalog ({@code FILES_STORAGE=s3} without {@code FILES_CATALOG}, retired), as
 * a committed dump: every object's key, bytes and content type, plus what the writer knew (listings, credentials,
 * open uploads) under {@code expected}. Written once by {@link LegacyBucketWriterIT} with the version that still had
 * it; {@link #load} puts it into any bucket for the migration's tests.
 *
 * <p>The format relies on no user metadata or tags (that version set none; content types are kept anyway), so the
 * key and the bytes are the whole of each object. Zip entries: {@code manifest.json} and {@code objects/{n}}.
 */
final class LegacyBucket {
    /** The committed dump. */
    static final Path RESOURCE = Path.of("src/test/resources/legacy-bucket/bucket.zip");
    static final ObjectMapper JSON = new ObjectMapper();

    /** One object: key (under the prefix the writer used), content type, bytes. */
    record StoredObject(String key, String contentType, byte[] bytes) {}

    final Map<String, StoredObject> objects;
    final JsonNode expected;

    private LegacyBucket(Map<String, StoredObject> objects, JsonNode expected) {
        this.objects = objects;
        this.expected = expected;
    }

    /** Every object of {@code bucket}, and what the writer expects of it. */
    static void dump(S3Client s3, String bucket, ObjectNode expected, Path to) throws IOException {
        ObjectNode manifest = JSON.createObjectNode();
        ArrayNode listed = manifest.putArray("objects");
        Files.createDirectories(to.getParent());
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(to))) {
            int n = 0;
            for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents()) {
                var response = s3.getObjectAsBytes(b -> b.bucket(bucket).key(object.key()));
                GetObjectResponse head = response.response();
                String entry = "objects/" + n++;
                listed.addObject().put("key", object.key()).put("entry", entry).put("size", object.size())
                        .put("contentType", head.contentType()).put("lastModified", object.lastModified().toString())
                        .put("userMetadata", head.metadata().toString());
                zip.putNextEntry(new ZipEntry(entry));
                zip.write(response.asByteArray());
                zip.closeEntry();
            }
            manifest.set("expected", expected);
            zip.putNextEntry(new ZipEntry("manifest.json"));
            zip.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
            zip.closeEntry();
        }
    }

    static LegacyBucket read() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(RESOURCE))) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                entries.put(entry.getName(), zip.readAllBytes());
            }
        }
        JsonNode manifest = JSON.readTree(entries.get("manifest.json"));
        Map<String, StoredObject> objects = new LinkedHashMap<>();
        for (JsonNode object : manifest.get("objects")) {
            objects.put(object.get("key").asText(), new StoredObject(object.get("key").asText(),
                    object.get("contentType").asText(), entries.get(object.get("entry").asText())));
        }
        return new LegacyBucket(objects, manifest.get("expected"));
    }

    /**
     * Puts every object into {@code bucket} of {@code server}, under the same keys. Empty objects go through the
     * asynchronous client, as the store wrote them: Ceph RGW 16 refuses an empty {@code PutObject} of the synchronous
     * client over plain HTTP (400 XAmzContentSHA256Mismatch, its aws-chunked payload signature being of no chunk).
     */
    void load(dev.filestaging.adapter.s3.testing.S3TestServer server, String bucket) {
        S3Client s3 = server.client();
        try (software.amazon.awssdk.services.s3.S3AsyncClient async = software.amazon.awssdk.services.s3.S3AsyncClient
                .builder().endpointOverride(server.endpoint()).forcePathStyle(true)
                .region(software.amazon.awssdk.regions.Region.of(dev.filestaging.adapter.s3.testing.S3TestServer.REGION))
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(
                                dev.filestaging.adapter.s3.testing.S3TestServer.ACCESS_KEY,
                                dev.filestaging.adapter.s3.testing.S3TestServer.SECRET_KEY)))
                .requestChecksumCalculation(software.amazon.awssdk.core.checksums.RequestChecksumCalculation
                        .WHEN_REQUIRED).build()) {
            for (StoredObject object : objects.values()) {
                if (object.bytes().length == 0) {
                    async.putObject(b -> b.bucket(bucket).key(object.key()).contentType(object.contentType())
                            .contentLength(0L), software.amazon.awssdk.core.async.AsyncRequestBody.empty()).join();
                } else {
                    s3.putObject(b -> b.bucket(bucket).key(object.key()).contentType(object.contentType()),
                            RequestBody.fromBytes(object.bytes()));
                }
            }
        }
    }

    // ---- contents the writer uploaded, regenerated by the tests that resume them ----

    /** {@code size} bytes of CSV rows, the same every time: a file of several parts that a zip keeps small. */
    static byte[] rows(int size) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        out.writeBytes("id,name,score\n".getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; out.size() < size; i++) {
            out.writeBytes((i + ",name-" + (i % 97) + "," + (i * 7919 % 1000) + "\n").getBytes(StandardCharsets.US_ASCII));
        }
        byte[] all = out.toByteArray();
        return java.util.Arrays.copyOf(all, size);
    }
}
