package dev.filestaging.adapter.s3.legacy;

import dev.filestaging.adapter.s3.client.S3Clients;
import dev.filestaging.adapter.s3.client.S3Errors;
import dev.filestaging.adapter.s3.client.S3Settings;
import dev.filestaging.ports.FileKey;
import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.ProjectId;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.out.SmallRecordStore;
import dev.filestaging.ports.out.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The retired bucket-only catalog's objects, read only (see the package documentation for the layout). Every method
 * reads the bucket anew; failures are {@link StorageException}s, a corrupt record one naming its key.
 */
public final class LegacyBucket implements AutoCloseable {
    /** Reading a piece or content for a copy through this process may take long; the socket timeout still applies. */
    private static final Duration READ_CALL_TIMEOUT = Duration.ofHours(6);

    private final S3Clients clients;
    private final S3Client s3;
    private final String bucket;
    private final String prefix;

    private LegacyBucket(S3Clients clients, String bucket, String prefix) {
        this.clients = clients;
        this.s3 = clients.calls();
        this.bucket = bucket;
        this.prefix = prefix;
    }

    /** Connects with the settings' credentials and checksums; makes no call yet. */
    public static LegacyBucket open(S3Settings settings) {
        return new LegacyBucket(S3Clients.create(settings), settings.bucket(), settings.prefix());
    }

    public String bucket() {
        return bucket;
    }

    /** The key prefix everything is under ("" or ending in a slash). */
    public String prefix() {
        return prefix;
    }

    /** The prefixes under which legacy objects live, for the operator who deletes them once migrated. */
    public List<String> legacyPrefixes() {
        return List.of(prefix + "areas/", prefix + "uploads/", prefix + "instances/", prefix + "api-keys/",
                prefix + "records/");
    }

    // ---- files ----

    /** Every area with a names/ folder, in key order. */
    public List<StagingArea> areas() {
        List<StagingArea> areas = new ArrayList<>();
        for (String organization : folders(prefix + "areas/")) {
            for (String project : folders(prefix + "areas/" + organization + "/")) {
                try {
                    areas.add(new StagingArea(new OrganizationId(organization), new ProjectId(project)));
                } catch (IllegalArgumentException e) {
                    throw new StorageException("areas/" + organization + "/" + project + " is no staging area: "
                            + e.getMessage(), e);
                }
            }
        }
        return areas;
    }

    /** Whether any area holds a name record (a file's or an open upload's): O(areas) calls, not O(files). */
    public boolean hasNameRecords() {
        for (StagingArea area : areas()) {
            String names = names(area);
            try {
                if (!s3.listObjectsV2(b -> b.bucket(bucket).prefix(names).maxKeys(1)).contents().isEmpty()) {
                    return true;
                }
            } catch (SdkException e) {
                throw S3Errors.translate("listing " + names, e);
            }
        }
        return false;
    }

    /** The committed files of {@code area}, in the order of their name records' keys (reservations left out). */
    public List<LegacyFile> files(StagingArea area) {
        List<LegacyFile> files = new ArrayList<>();
        for (S3Object object : objects(names(area))) {
            byte[] bytes = read(object.key()).orElse(null);
            if (bytes == null) {
                continue; // deleted while we listed: a delete in progress ended
            }
            try {
                LegacyFile.decode(object.key(), bytes).ifPresent(files::add);
            } catch (IOException e) {
                throw new StorageException("name record " + object.key() + " is corrupt: " + e.getMessage(), e);
            }
        }
        return files;
    }

    /** The id of the upload whose reservation holds {@code key}'s name, or empty (a file, or nothing, holds it). */
    public Optional<String> reservationOf(FileKey key) {
        return read(names(key.area()) + key.nameDigest()).flatMap(LegacyReservation::decode);
    }

    /** The bytes of a content object, from the first; the caller closes the stream. */
    public InputStream content(String contentKey) {
        return get(contentKey);
    }

    // ---- uploads ----

    /**
     * Every tus upload with a state (open, or staged and not yet expired), in key order. An upload whose state is
     * gone but whose staged note is there is read from the note, as staged.
     */
    public List<LegacyUpload> uploads() {
        List<LegacyUpload> uploads = new ArrayList<>();
        for (String id : folders(prefix + "uploads/")) {
            String directory = prefix + "uploads/" + id + "/";
            Optional<byte[]> state = read(directory + "state");
            boolean noteOnly = state.isEmpty();
            Optional<byte[]> bytes = noteOnly ? read(directory + "staged") : state;
            if (bytes.isEmpty()) {
                continue; // pieces or a lock left by a crash: nothing a client was told of
            }
            try {
                LegacyUpload upload = LegacyUpload.decode(bytes.get(), directory);
                uploads.add(noteOnly && !upload.staged()
                        ? new LegacyUpload(upload.ticket(), upload.offset(), List.of(), true) : upload);
            } catch (IOException | IllegalArgumentException e) {
                throw new StorageException("upload state " + directory + " is corrupt: " + e.getMessage(), e);
            }
        }
        return uploads;
    }

    /** The upload's acknowledged bytes, its pieces one after the other; the caller closes the stream. */
    public InputStream acknowledgedBytes(LegacyUpload upload) {
        Iterator<LegacyUpload.Piece> pieces = upload.pieces().iterator();
        return new SequenceInputStream(new java.util.Enumeration<>() {
            @Override
            public boolean hasMoreElements() {
                return pieces.hasNext();
            }

            @Override
            public InputStream nextElement() {
                return get(pieces.next().key());
            }
        });
    }

    // ---- small records and instances ----

    /** Every small record, by namespace and key: API keys (namespace api-keys) and those under records/. */
    public Map<String, Map<String, String>> smallRecords() {
        Map<String, Map<String, String>> records = new TreeMap<>();
        records.put("api-keys", recordsUnder(prefix + "api-keys/"));
        for (String namespace : folders(prefix + "records/")) {
            if (SmallRecordStore.NAME.matcher(namespace).matches()) {
                records.put(namespace, recordsUnder(prefix + "records/" + namespace + "/"));
            }
        }
        records.values().removeIf(Map::isEmpty);
        return records;
    }

    /** A running instance's heartbeat as listed: it changes (a new ETag) every few seconds while it runs. */
    public record Heartbeat(String instance, String etag, Instant lastModified) {}

    public List<Heartbeat> heartbeats() {
        String directory = prefix + "instances/";
        return objects(directory).stream().map(o -> new Heartbeat(o.key().substring(directory.length()), o.eTag(),
                o.lastModified())).toList();
    }

    @Override
    public void close() {
        clients.close();
    }

    // ---- reading ----

    private String names(StagingArea area) {
        return prefix + "areas/" + area.organization().value() + "/" + area.project().value() + "/names/";
    }

    private Map<String, String> recordsUnder(String directory) {
        Map<String, String> records = new TreeMap<>();
        for (S3Object object : objects(directory)) {
            String key = object.key().substring(directory.length());
            if (SmallRecordStore.NAME.matcher(key).matches()) {
                read(object.key()).ifPresent(bytes -> records.put(key,
                        new String(bytes, java.nio.charset.StandardCharsets.UTF_8)));
            }
        }
        return records;
    }

    /** The folder names right under {@code directory} (its common prefixes, without it and the slash). */
    private List<String> folders(String directory) {
        List<String> folders = new ArrayList<>();
        try {
            for (ListObjectsV2Response page : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(directory)
                    .delimiter("/"))) {
                for (CommonPrefix common : page.commonPrefixes()) {
                    String folder = common.prefix().substring(directory.length());
                    folders.add(folder.substring(0, folder.length() - 1));
                }
            }
        } catch (SdkException e) {
            throw S3Errors.translate("listing " + directory, e);
        }
        Collections.sort(folders);
        return folders;
    }

    private List<S3Object> objects(String directory) {
        List<S3Object> objects = new ArrayList<>();
        try {
            for (ListObjectsV2Response page : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(directory))) {
                objects.addAll(page.contents());
            }
        } catch (SdkException e) {
            throw S3Errors.translate("listing " + directory, e);
        }
        return objects;
    }

    private Optional<byte[]> read(String key) {
        try {
            return Optional.of(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray());
        } catch (SdkException e) {
            if (S3Errors.isNotFound(e)) {
                return Optional.empty();
            }
            throw S3Errors.translate("reading " + key, e);
        }
    }

    private InputStream get(String key) {
        try {
            return s3.getObject(b -> b.bucket(bucket).key(key)
                    .overrideConfiguration(o -> o.apiCallTimeout(READ_CALL_TIMEOUT)));
        } catch (SdkException e) {
            throw S3Errors.translate("reading " + key, e);
        }
    }
}
