package dev.filestaging.adapter.s3;

import dev.filestaging.ports.StoredFile;
import dev.filestaging.ports.out.StorageException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The name records of the bucket: created with {@code If-None-Match: *}, deleted with {@code If-Match}, listed with
 * a cache keyed by ETag so that a warm listing costs one {@code ListObjectsV2} call per 1,000 files and nothing per file.
 */
final class NameRecords {

    /** A create-if-absent that lost: another record holds the name. */
    static final class NameTakenException extends Exception {
        NameTakenException() {
            super(null, null, false, false);
        }
    }

    private static final int CONFLICT_RETRIES = 5;
    /** Not empty: Ceph RGW 16 refuses an empty PutObject's payload hash (400 XAmzContentSHA256Mismatch). */
    private static final String CLAIM_BODY = "delete claim";

    private final S3Client s3;
    private final String bucket;
    private final ExecutorService fetchers;
    private final ConcurrentMap<String, NameRecord> cache = new ConcurrentHashMap<>();
    /** Whether the store honours {@code If-Match} on deletes; found by the start-up check. */
    private volatile boolean conditionalDeletes = true;

    NameRecords(S3Client s3, String bucket, ExecutorService fetchers) {
        this.s3 = s3;
        this.bucket = bucket;
        this.fetchers = fetchers;
    }

    /** The file's record at {@code key} as the bucket holds it now, or empty (no entry, or a reservation). */
    Optional<NameRecord> read(String key) {
        return readEntry(key).filter(NameRecord.class::isInstance).map(NameRecord.class::cast);
    }

    /** What the bucket holds at {@code key} now: a file's record, a resumable upload's reservation, or nothing. */
    Optional<NameEntry> readEntry(String key) {
        ResponseBytes<GetObjectResponse> bytes;
        try {
            bytes = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key));
        } catch (NoSuchKeyException e) {
            cache.remove(key);
            return Optional.empty();
        } catch (SdkException e) {
            if (S3Errors.isNotFound(e)) {
                cache.remove(key);
                return Optional.empty();
            }
            throw S3Errors.translate("reading " + key, e);
        }
        Optional<NameReservation> reservation = NameReservation.decode(key, bytes.asByteArray());
        if (reservation.isPresent()) {
            cache.remove(key);
            return Optional.of(reservation.get());
        }
        NameRecord record = decode(key, bytes.asByteArray(), bytes.response().eTag());
        cache.put(key, record);
        return Optional.of(record);
    }

    /**
     * Reserves the name at {@code key} for a resumable upload if no entry exists there.
     *
     * @throws NameTakenException a file or another upload holds the name
     */
    void reserve(NameReservation reservation) throws NameTakenException {
        putIfAbsent(reservation.key(), reservation.encode(), "reserving ");
    }

    /**
     * Turns the reservation of a resumable upload into its file's record. Unconditional, and safe because only the
     * upload's one writer, which calls this, may remove the reservation: while it exists nobody else can take the
     * name, and deletes of files pass over reservations.
     */
    NameRecord replaceReservation(NameReservation reservation, StoredFile file, String contentKey) {
        byte[] body = NameRecord.encode(file, contentKey);
        try {
            PutObjectResponse response = s3.putObject(
                    b -> b.bucket(bucket).key(reservation.key()).contentType("text/plain; charset=utf-8"),
                    RequestBody.fromBytes(body));
            NameRecord record = new NameRecord(reservation.key(), file, contentKey, response.eTag());
            cache.put(reservation.key(), record);
            return record;
        } catch (SdkException e) {
            throw S3Errors.translate("staging " + reservation.key(), e);
        }
    }

    /** Frees a name reserved by {@code uploadId}; anything else at {@code key} (a file, another upload) stays. */
    void release(String key, String uploadId) {
        Optional<NameEntry> entry = readEntry(key);
        if (entry.isPresent() && entry.get() instanceof NameReservation held && held.uploadId().equals(uploadId)) {
            try {
                s3.deleteObject(b -> b.bucket(bucket).key(key));
            } catch (SdkException e) {
                if (!S3Errors.isNotFound(e)) {
                    throw S3Errors.translate("freeing " + key, e);
                }
            }
        }
    }

    private void putIfAbsent(String key, byte[] body, String doing) throws NameTakenException {
        for (int attempt = 1; ; attempt++) {
            try {
                s3.putObject(b -> b.bucket(bucket).key(key).ifNoneMatch("*").contentType("text/plain; charset=utf-8"),
                        RequestBody.fromBytes(body));
                return;
            } catch (SdkException e) {
                if (S3Errors.isPreconditionFailed(e)) {
                    throw new NameTakenException();
                }
                if (!S3Errors.isConditionalConflict(e) || attempt == CONFLICT_RETRIES) {
                    throw S3Errors.translate(doing + key, e);
                }
            }
        }
    }

    /**
     * Creates the record if no record exists at {@code key}.
     *
     * @throws NameTakenException a record exists (the store answered 412)
     * @throws StorageException   the store failed; whether the record was created is then unknown
     */
    NameRecord create(String key, StoredFile file, String contentKey) throws NameTakenException {
        byte[] body = NameRecord.encode(file, contentKey);
        for (int attempt = 1; ; attempt++) {
            try {
                PutObjectResponse response = s3.putObject(
                        b -> b.bucket(bucket).key(key).ifNoneMatch("*").contentType("text/plain; charset=utf-8"),
                        RequestBody.fromBytes(body));
                NameRecord record = new NameRecord(key, file, contentKey, response.eTag());
                cache.put(key, record);
                return record;
            } catch (SdkException e) {
                if (S3Errors.isPreconditionFailed(e)) {
                    throw new NameTakenException();
                }
                // 409: a concurrent conditional write on the same key was in flight; S3 asks to retry.
                if (!S3Errors.isConditionalConflict(e) || attempt == CONFLICT_RETRIES) {
                    throw S3Errors.translate("creating " + key, e);
                }
            }
        }
    }

    /**
     * Claims the one delete of this version of a file: creates {@code claimKey} if absent. Of concurrent deleters,
     * on any number of instances, exactly one gets true; the others see the file as already gone. A claim left by a
     * deleter that died before removing the record is taken over once older than {@code abandonedAfter} by this
     * process's clock, so a crash never makes a file undeletable.
     */
    boolean claimDelete(String claimKey, java.time.Duration abandonedAfter, java.time.Clock clock) {
        for (int attempt = 1; ; attempt++) {
            try {
                s3.putObject(b -> b.bucket(bucket).key(claimKey).ifNoneMatch("*"), RequestBody.fromString(CLAIM_BODY));
                return true;
            } catch (SdkException e) {
                if (S3Errors.isPreconditionFailed(e)) {
                    return takeOverIfAbandoned(claimKey, abandonedAfter, clock);
                }
                if (!S3Errors.isConditionalConflict(e) || attempt == CONFLICT_RETRIES) {
                    throw S3Errors.translate("claiming " + claimKey, e);
                }
            }
        }
    }

    private boolean takeOverIfAbandoned(String claimKey, java.time.Duration abandonedAfter, java.time.Clock clock) {
        try {
            var claim = s3.headObject(b -> b.bucket(bucket).key(claimKey));
            if (claim.lastModified().isAfter(clock.instant().minus(abandonedAfter))) {
                return false; // another delete is under way
            }
            // the stale claim goes, then ours takes its place (If-None-Match: * lets one taker win); a store without
            // conditional deletes leaves a window in which two takers of one abandoned claim could both win
            s3.deleteObject(b -> b.bucket(bucket).key(claimKey).ifMatch(conditionalDeletes ? claim.eTag() : null));
            s3.putObject(b -> b.bucket(bucket).key(claimKey).ifNoneMatch("*"), RequestBody.fromString(CLAIM_BODY));
            return true;
        } catch (SdkException e) {
            if (S3Errors.isPreconditionFailed(e) || S3Errors.isNotFound(e)) {
                return false; // someone else took it over, or finished, in between
            }
            throw S3Errors.translate("taking over " + claimKey, e);
        }
    }

    /** Tells whether the store honours {@code If-Match} on deletes (the start-up check probes it). */
    void conditionalDeletes(boolean honoured) {
        conditionalDeletes = honoured;
    }

    boolean conditionalDeletes() {
        return conditionalDeletes;
    }

    /** Removes a delete claim once its delete is done; a failure leaves it to the orphan sweep. */
    void releaseClaim(String claimKey) {
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(claimKey));
        } catch (SdkException e) {
            // harmless: the claim names a version that no longer exists, and the sweep removes it later
        }
    }

    /**
     * Deletes this version of the record; the caller holds its delete claim and has read it under the claim. That is
     * what makes the delete safe without a condition: while the record exists no new upload can take its name
     * (create-if-absent), and no other deleter can get past the claim. No {@code If-Match} is sent, since some stores
     * do not honour a conditional delete (Ceph RGW 16.2 ignores If-Match on DeleteObject: a wrong ETag deletes too).
     * Returns false when the record was no longer there.
     */
    boolean delete(NameRecord record) {
        cache.remove(record.key());
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(record.key()));
            return true;
        } catch (SdkException e) {
            if (S3Errors.isPreconditionFailed(e) || S3Errors.isNotFound(e)) {
                return false;
            }
            throw S3Errors.translate("deleting " + record.key(), e);
        }
    }

    /** Every record under {@code prefix} (an area's names prefix), ordered by file name. */
    List<NameRecord> list(String prefix) {
        List<NameRecord> records = resolve(objectsUnder(bucket, prefix, s3));
        Set<String> present = new HashSet<>();
        records.forEach(r -> present.add(r.key()));
        cache.keySet().removeIf(key -> key.startsWith(prefix) && !present.contains(key));
        records.sort(Comparator.comparing(r -> r.file().name()));
        return records;
    }

    /**
     * The records behind listed objects: from the cache where the ETag matches, read in parallel otherwise. Records
     * deleted between the listing and the read are left out.
     */
    List<NameRecord> resolve(List<S3Object> objects) {
        List<NameRecord> records = new ArrayList<>(objects.size());
        List<CompletableFuture<Optional<NameRecord>>> fetches = new ArrayList<>();
        for (S3Object object : objects) {
            NameRecord cached = cache.get(object.key());
            if (cached != null && cached.etag() != null && cached.etag().equals(object.eTag())) {
                records.add(cached);
            } else {
                fetches.add(CompletableFuture.supplyAsync(() -> read(object.key()), fetchers));
            }
        }
        for (CompletableFuture<Optional<NameRecord>> fetch : fetches) {
            joinTranslated(fetch).ifPresent(records::add);
        }
        return records;
    }

    /** Every object under {@code prefix}, 1,000 per call. */
    static List<S3Object> objectsUnder(String bucket, String prefix, S3Client s3) {
        List<S3Object> objects = new ArrayList<>();
        try {
            for (ListObjectsV2Response page : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix))) {
                objects.addAll(page.contents());
            }
        } catch (SdkException e) {
            throw S3Errors.translate("listing " + prefix, e);
        }
        return objects;
    }

    private static <T> T joinTranslated(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (RuntimeException e) {
            throw S3Errors.translate("reading a name record", e);
        }
    }

    private static NameRecord decode(String key, byte[] bytes, String etag) {
        try {
            return NameRecord.decode(key, bytes, etag);
        } catch (IOException e) {
            throw new StorageException("name record " + key + " is corrupt: " + e.getMessage(), e);
        }
    }
}
