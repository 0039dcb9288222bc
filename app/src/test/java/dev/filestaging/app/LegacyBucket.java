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
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
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
 *
 * <p>The dump's tus uploads and signed link expire a year after it was written; {@link #renewed} moves them, so that
 * the tests do not depend on the dump's age.
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
     * This dump as if it had just been written, at {@code now}: every tus upload's expiry (in its {@code state}, or
     * {@code staged} note) is moved to a day from {@code now}, and the signed link under {@code expected} is signed
     * again, by the dump's own link key and as the writing version signed it, to expire then too. Nothing else
     * changes. The link is first checked to be exactly what that signing gives for its original expiry, so a link
     * this cannot reproduce fails here rather than pass as renewed.
     */
    LegacyBucket renewed(Instant now) {
        Instant expires = now.plus(Duration.ofDays(1));
        String prefix = expected.get("prefix").asText();
        Pattern upload = Pattern.compile(Pattern.quote(prefix) + "uploads/[^/]+/(state|staged)");
        Map<String, StoredObject> renewed = new LinkedHashMap<>();
        int moved = 0;
        for (StoredObject object : objects.values()) {
            if (upload.matcher(object.key()).matches()) {
                // a java.util.Properties file: ':' is escaped
                String text = new String(object.bytes(), StandardCharsets.ISO_8859_1);
                String changed = text.replaceAll("(?m)^expires=.*$", Matcher.quoteReplacement("expires="
                        + expires.toString().replace(":", "\\:")));
                if (changed.equals(text)) {
                    throw new IllegalStateException(object.key() + " holds no expiry to move");
                }
                object = new StoredObject(object.key(), object.contentType(),
                        changed.getBytes(StandardCharsets.ISO_8859_1));
                moved++;
            }
            renewed.put(object.key(), object);
        }
        if (moved == 0) {
            throw new IllegalStateException("the dump holds no tus upload whose expiry could be moved");
        }
        ObjectNode expectations = expected.deepCopy();
        expectations.put("link", resigned(expected.get("link").asText(), prefix, expires));
        return new LegacyBucket(renewed, expectations);
    }

    /**
     * {@code /v1/links/fl1.{payload}.{signature}/{name}} with its expiry (the payload's last line, in epoch seconds)
     * set to {@code expires}: the payload is base64url of key id, organization, project, name, file id and expiry,
     * one per line; the signature base64url of the HMAC-SHA256 of the encoded payload by the key's secret (the link
     * key record, base64).
     */
    private String resigned(String link, String prefix, Instant expires) {
        Matcher parts = Pattern.compile("(/v1/links/fl1\\.)([A-Za-z0-9_-]+)\\.([A-Za-z0-9_-]+)(/.+)").matcher(link);
        if (!parts.matches()) {
            throw new IllegalStateException("not a signed link of the fixture's version: " + link);
        }
        Base64.Encoder base64url = Base64.getUrlEncoder().withoutPadding();
        String[] fields = new String(Base64.getUrlDecoder().decode(parts.group(2)), StandardCharsets.UTF_8)
                .split("\n", -1);
        StoredObject keyRecord = objects.get(prefix + "records/link-keys/" + fields[0]);
        if (keyRecord == null || fields.length != 6) {
            throw new IllegalStateException("the link's payload or key is not in the dump: " + link);
        }
        byte[] secret = Base64.getDecoder().decode(new String(keyRecord.bytes(), StandardCharsets.UTF_8).strip());
        if (!MessageDigest.isEqual(hmac(secret, parts.group(2)), Base64.getUrlDecoder().decode(parts.group(3)))) {
            throw new IllegalStateException("the link is not signed as this signs it; cannot renew " + link);
        }
        fields[5] = Long.toString(expires.getEpochSecond());
        String payload = base64url.encodeToString(String.join("\n", fields).getBytes(StandardCharsets.UTF_8));
        return parts.group(1) + payload + "." + base64url.encodeToString(hmac(secret, payload)) + parts.group(4);
    }

    private static byte[] hmac(byte[] secret, String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(payload.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
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
