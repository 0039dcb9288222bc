package dev.filestaging.adapter.s3;

import dev.filestaging.ports.out.SmallRecordStore;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Small records as objects, {@code {prefix}records/{namespace}/{key}}. A {@code PutObject} replaces an object whole
 * and S3 reads after writes consistently, so every instance sees a record as soon as it is written.
 */
final class S3SmallRecordStore implements SmallRecordStore {

    private final S3Client s3;
    private final String bucket;
    private final String prefix;

    S3SmallRecordStore(S3Client s3, String bucket, String prefix) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix;
    }

    @Override
    public Optional<String> read(String namespace, String key) {
        String objectKey = key(namespace, key);
        try {
            return Optional.of(s3.getObjectAsBytes(b -> b.bucket(bucket).key(objectKey)).asUtf8String());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (SdkException e) {
            if (S3Errors.isNotFound(e)) {
                return Optional.empty();
            }
            throw S3Errors.translate("reading " + objectKey, e);
        }
    }

    @Override
    public void write(String namespace, String key, String text) {
        String objectKey = key(namespace, key);
        try {
            s3.putObject(b -> b.bucket(bucket).key(objectKey).contentType("text/plain; charset=utf-8"),
                    RequestBody.fromString(text, StandardCharsets.UTF_8));
        } catch (SdkException e) {
            throw S3Errors.translate("writing " + objectKey, e);
        }
    }

    @Override
    public Map<String, String> readAll(String namespace) {
        String directory = prefix + SmallRecordStore.checkedName(namespace) + "/";
        Map<String, String> records = new TreeMap<>();
        for (S3Object object : NameRecords.objectsUnder(bucket, directory, s3)) {
            String key = object.key().substring(directory.length());
            if (SmallRecordStore.NAME.matcher(key).matches()) {
                read(namespace, key).ifPresent(text -> records.put(key, text));
            }
        }
        return records;
    }

    private String key(String namespace, String key) {
        return prefix + SmallRecordStore.checkedName(namespace) + "/" + SmallRecordStore.checkedName(key);
    }
}
