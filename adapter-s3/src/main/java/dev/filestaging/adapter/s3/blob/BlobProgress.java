package dev.filestaging.adapter.s3.blob;

import dev.filestaging.ports.out.StorageException;
import dev.filestaging.ports.out.blob.BlobCheckpoint;

/**
 * Where a blob being written stands in the bucket, as its checkpoint's state records it: the multipart upload of the
 * blob's object and how many of its parts (of how many bytes in all) hold the blob's first bytes, then the tail
 * object holding the synced bytes after them, when there are fewer than a part's minimum. The parts' ETags are not
 * kept (a checkpoint holds at most 4096 characters, and a blob may have thousands of parts): a reopen lists the parts,
 * and checks their count and sizes against this.
 *
 * <p>Encoded as {@code s3b1 <upload id or -> <parts> <part bytes> <tail name or ->}, space-separated: upload ids and
 * tail names hold no spaces. A resumable blob ({@link S3BlobStore#createResumable}) is tagged {@code s3r1} instead,
 * with the same fields: each of its parts is also kept as a piece object named after its part number
 * ({@link BucketLayout#newBlobPiece(String, int)}), which is how {@link S3BlobStore#readDurable} finds them from the
 * part count alone, so the state stays the same few dozen characters however many syncs the blob has seen.
 *
 * @param resumable whether every part is also kept as a readable piece (a blob made by {@code createResumable})
 * @param uploadId  the multipart upload, or null before the first part
 * @param parts     parts 1 to {@code parts} hold the first {@code partBytes} bytes
 * @param tail      the name (under the blob's tails) of the object holding bytes {@code partBytes} to the offset, or
 *                  null when there are none: then the parts hold all of them, or (without parts) the blob is empty
 */
record BlobProgress(boolean resumable, String uploadId, int parts, long partBytes, String tail) {
    private static final String VERSION = "s3b1";
    private static final String RESUMABLE = "s3r1";
    private static final String NONE = "-";

    BlobProgress {
        if (parts < 0 || partBytes < 0 || (uploadId == null && parts > 0)) {
            throw new IllegalArgumentException("inconsistent blob progress: " + uploadId + ", " + parts + " parts of "
                    + partBytes + " bytes");
        }
    }

    String encode() {
        return String.join(" ", resumable ? RESUMABLE : VERSION, orNone(uploadId), Integer.toString(parts),
                Long.toString(partBytes), orNone(tail));
    }

    /**
     * The progress a checkpoint records.
     *
     * @throws StorageException the state was not made by this store, or is corrupt: nothing can be reopened from it
     */
    static BlobProgress of(String blobId, BlobCheckpoint checkpoint) {
        String[] fields = checkpoint.state().split(" ", -1);
        try {
            if (fields.length != 5 || !(VERSION.equals(fields[0]) || RESUMABLE.equals(fields[0]))) {
                throw new IllegalArgumentException("not an S3 blob checkpoint");
            }
            BlobProgress progress = new BlobProgress(RESUMABLE.equals(fields[0]), none(fields[1]),
                    Integer.parseInt(fields[2]), Long.parseLong(fields[3]), none(fields[4]));
            if (progress.partBytes > checkpoint.offset() || (progress.tail == null && progress.uploadId == null
                    && checkpoint.offset() > 0) || (progress.tail == null && progress.uploadId != null
                    && progress.partBytes != checkpoint.offset())) {
                throw new IllegalArgumentException("its parts and tail do not hold " + checkpoint.offset() + " bytes");
            }
            return progress;
        } catch (IllegalArgumentException e) {
            throw new StorageException("cannot reopen the blob " + blobId + " from the checkpoint "
                    + checkpoint + ": " + e.getMessage(), e);
        }
    }

    private static String orNone(String value) {
        return value == null ? NONE : value;
    }

    private static String none(String field) {
        return NONE.equals(field) ? null : field;
    }
}
