package dev.filestaging.adapter.s3.blob;

import java.util.Optional;
import java.util.UUID;

/**
 * Where blobs live in the bucket, under the configured prefix:
 * <pre>
 *   {prefix}blobs/{blob id}                                a finished blob ({@code S3BlobStore}); while unfinished,
 *                                                          the key of its multipart upload
 *   {prefix}blob-tails/{blob id}/{offset}.{uuid}           a blob's synced bytes after its last part, when fewer than
 *                                                          a part's minimum; removed once the blob is finished
 *   {prefix}blob-tails/{blob id}/piece.{uuid}              a blob's bytes written since its last checkpoint, when a
 *                                                          part or more; a part of the blob from the next sync
 *   {prefix}blob-tails/{blob id}/pieces/{part}-{uuid}      the same for a resumable blob, named after the part of
 *                                                          the blob it becomes; kept (readable) until the blob is
 *                                                          finished or deleted
 *   {prefix}probes/{uuid}                                  start-up check that the bucket takes writes, deleted at once
 * </pre>
 * A bucket once kept by the retired bucket-only catalog also holds {@code areas/}, {@code uploads/},
 * {@code instances/}, {@code api-keys/} and {@code records/} (see the {@code legacy} package), which nothing here
 * reads or writes.
 */
final class BucketLayout {

    private final String prefix;

    BucketLayout(String prefix) {
        this.prefix = prefix;
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

    String probe() {
        return prefix + "probes/" + UUID.randomUUID();
    }
}
