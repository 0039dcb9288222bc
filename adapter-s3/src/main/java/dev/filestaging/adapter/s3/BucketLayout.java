package dev.filestaging.adapter.s3;

import dev.filestaging.ports.FileKey;
import dev.filestaging.ports.StagingArea;
import java.util.Optional;
import java.util.UUID;

/**
 * Where things live in the bucket, under the configured prefix:
 * <pre>
 *   {prefix}areas/{org}/{project}/names/{sha256 of name}   name record: the file's metadata and its content's key
 *   {prefix}areas/{org}/{project}/content/{instance}.{uuid} content, one object per upload attempt, named after
 *                                                          the instance that wrote it (older ones: {uuid} alone)
 *   {prefix}areas/{org}/{project}/deletes/{content name}   claim of the one delete of a file version, created with
 *                                                          If-None-Match: * before its name record is deleted
 *   {prefix}uploads/{id}/state                             a resumable upload's ticket, durable offset and pieces
 *   {prefix}uploads/{id}/lock                              held by the one instance writing the upload
 *   {prefix}uploads/{id}/staged                            once staged: the ticket, until it expires
 *   {prefix}uploads/{id}/{instance}.{uuid}                 a piece of its bytes, written by one append
 *   {prefix}instances/{instance}                           heartbeat of a running instance, rewritten every few seconds
 *   {prefix}api-keys/{sha256 of key}                       an API key's organization, roles, service account
 *   {prefix}records/{namespace}/{key}                     small records: OAuth clients, token signing keys
 *   {prefix}probes/{uuid}                                  start-up check of conditional writes, deleted at once
 *   {prefix}blobs/{blob id}                                a finished blob ({@code S3BlobStore}); while unfinished,
 *                                                          the key of its multipart upload
 *   {prefix}blob-tails/{blob id}/{offset}.{uuid}           a blob's synced bytes after its last part, when fewer than
 *                                                          a part's minimum; removed once the blob is finished
 *   {prefix}blob-tails/{blob id}/piece.{uuid}              a blob's bytes written since its last checkpoint, when a
 *                                                          part or more; a part of the blob from the next sync
 *   {prefix}blob-tails/{blob id}/pieces/{part}-{uuid}      the same for a resumable blob, named after the part of
 *                                                          the blob it becomes; kept (readable) until the blob is
 *                                                          finished or deleted
 * </pre>
 * The name record of a resumable upload's name holds its reservation until it commits.
 * Organization and project ids are restricted to {@code [A-Za-z0-9_-]}, so they are safe key segments; names are
 * hashed because they may hold any character and be longer than a key allows.
 */
final class BucketLayout {

    private final String prefix;

    BucketLayout(String prefix) {
        this.prefix = prefix;
    }

    String areas() {
        return prefix + "areas/";
    }

    String names(StagingArea area) {
        return area(area) + "names/";
    }

    String nameRecord(FileKey key) {
        return names(key.area()) + key.nameDigest();
    }

    String newContent(StagingArea area, String instance) {
        return area(area) + "content/" + instance + "." + UUID.randomUUID();
    }

    /**
     * The claim on deleting the file whose content is {@code contentKey}: content keys are unique per upload, so a
     * claim names one version of one file, and a new upload of the same name is never blocked by an old claim.
     */
    String deleteClaim(String contentKey) {
        String area = contentKey.substring(0, contentKey.lastIndexOf("/content/") + 1);
        return area + "deletes/" + contentKey.substring(contentKey.lastIndexOf('/') + 1);
    }

    /** Whether {@code key} is a delete claim (of any area). */
    boolean isDeleteClaim(String key) {
        return key.startsWith(areas()) && key.substring(areas().length()).matches("[^/]+/[^/]+/deletes/[^/]+");
    }

    /** The instance that wrote a content key, or empty for keys written before content keys carried it. */
    static Optional<String> instanceOf(String contentKey) {
        String name = contentKey.substring(contentKey.lastIndexOf('/') + 1);
        int dot = name.indexOf('.');
        return dot > 0 ? Optional.of(name.substring(0, dot)) : Optional.empty();
    }

    String uploads() {
        return prefix + "uploads/";
    }

    String upload(String uploadId) {
        return uploads() + uploadId + "/";
    }

    String uploadState(String uploadId) {
        return upload(uploadId) + "state";
    }

    /** The note that an upload was staged, kept until its ticket expires. */
    String uploadStaged(String uploadId) {
        return upload(uploadId) + "staged";
    }

    String uploadLock(String uploadId) {
        return upload(uploadId) + "lock";
    }

    /** The upload an upload's key belongs to ({@code uploads/{id}/...}), or empty for other keys. */
    Optional<String> uploadOf(String key) {
        if (!key.startsWith(uploads())) {
            return Optional.empty();
        }
        String rest = key.substring(uploads().length());
        int slash = rest.indexOf('/');
        return slash > 0 ? Optional.of(rest.substring(0, slash)) : Optional.empty();
    }

    /** Whether {@code key} is an open upload's state ({@code uploads/{id}/state}). */
    boolean isUploadState(String key) {
        return uploadOf(key).map(id -> key.equals(uploadState(id))).orElse(false);
    }

    /** Whether {@code key} is the note of a staged upload ({@code uploads/{id}/staged}). */
    boolean isUploadStaged(String key) {
        return uploadOf(key).map(id -> key.equals(uploadStaged(id))).orElse(false);
    }

    /** A new piece of an upload's bytes, named after the instance writing it (see {@link #instanceOf}). */
    String newPiece(String uploadId, String instance) {
        return upload(uploadId) + instance + "." + UUID.randomUUID();
    }

    /** The open multipart uploads of content and of resumable uploads' pieces, the only keys written in parts. */
    java.util.List<software.amazon.awssdk.services.s3.model.MultipartUpload> multipartUploads(
            software.amazon.awssdk.services.s3.S3Client s3, String bucket) {
        java.util.List<software.amazon.awssdk.services.s3.model.MultipartUpload> open = new java.util.ArrayList<>();
        for (String under : java.util.List.of(areas(), uploads())) {
            s3.listMultipartUploadsPaginator(b -> b.bucket(bucket).prefix(under)).uploads().forEach(open::add);
        }
        return open;
    }

    String blobs() {
        return prefix + "blobs/";
    }

    /** A blob's object once finished, and the key of its multipart upload before. */
    String blob(String blobId) {
        return blobs() + blobId;
    }

    String blobTails() {
        return prefix + "blob-tails/";
    }

    String blobTails(String blobId) {
        return blobTails() + blobId + "/";
    }

    /** A new tail of a blob, synced at {@code offset}; the name alone is kept in the blob's checkpoint. */
    String newBlobTail(String blobId, long offset) {
        return blobTails(blobId) + offset + "." + UUID.randomUUID();
    }

    /** A new piece of a blob: the bytes one session wrote after a checkpoint, joined to the blob at the next sync. */
    String newBlobPiece(String blobId) {
        return blobTails(blobId) + "piece." + UUID.randomUUID();
    }

    /** Where a resumable blob's pieces are kept, each named after the part of the blob it becomes. */
    String blobPieces(String blobId) {
        return blobTails(blobId) + "pieces/";
    }

    /** A new piece of a resumable blob, to become part {@code partNumber} of the blob at the next sync. */
    String newBlobPiece(String blobId, int partNumber) {
        return blobPieces(blobId) + partNumber + "-" + UUID.randomUUID();
    }

    /** The part number a resumable blob's piece key is named after, or -1 for keys that are no such piece. */
    int pieceNumberOf(String blobId, String key) {
        if (!key.startsWith(blobPieces(blobId))) {
            return -1;
        }
        String name = key.substring(blobPieces(blobId).length());
        int dash = name.indexOf('-');
        if (dash < 1 || dash > 5 || !name.substring(0, dash).chars().allMatch(Character::isDigit)) {
            return -1;
        }
        return Integer.parseInt(name.substring(0, dash));
    }

    /** The blob id of a blob's object or tail key, or empty for other keys. */
    Optional<String> blobOf(String key) {
        String rest;
        if (key.startsWith(blobs())) {
            rest = key.substring(blobs().length());
        } else if (key.startsWith(blobTails())) {
            rest = key.substring(blobTails().length());
            int slash = rest.indexOf('/');
            rest = slash > 0 ? rest.substring(0, slash) : "";
        } else {
            return Optional.empty();
        }
        return dev.filestaging.ports.out.blob.BlobStore.ID.matcher(rest).matches() ? Optional.of(rest) : Optional.empty();
    }

    String instances() {
        return prefix + "instances/";
    }

    String heartbeat(String instance) {
        return instances() + instance;
    }

    /** Whether {@code key} is a content object (of any area). */
    boolean isContent(String key) {
        return key.startsWith(areas()) && key.substring(areas().length()).matches("[^/]+/[^/]+/content/[^/]+");
    }

    String records() {
        return prefix + "records/";
    }

    /** The root of the API keys' record namespace: the prefix itself, where keys were kept before records/ existed. */
    String apiKeyRecords() {
        return prefix;
    }

    String probe() {
        return prefix + "probes/" + UUID.randomUUID();
    }

    private String area(StagingArea area) {
        return areas() + area.organization().value() + "/" + area.project().value() + "/";
    }
}
