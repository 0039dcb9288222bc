package dev.filestaging.adapter.s3;

import dev.filestaging.ports.out.StorageException;
import dev.filestaging.ports.out.blob.BlobCheckpoint;
import dev.filestaging.ports.out.blob.BlobWriter;
import java.io.ByteArrayInputStream;
import java.util.Arrays;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * The one writer of a blob in the bucket. Bytes gather in a buffer of one part; each full buffer becomes the next part
 * of the blob's multipart upload (begun with the first part), so a blob written in one session without syncs is a
 * multipart upload streamed a part at a time, or a single {@code PutObject} when it is smaller than a part.
 *
 * <p>A sync makes the buffer durable: as a part when it holds at least S3's 5 MiB minimum (every part but the last
 * must), otherwise as a <em>tail</em> object of its own, which the checkpoint names. The buffer keeps those bytes, so
 * they go on into the next part; a writer reopened at the checkpoint reads the tail back into its buffer. This is how
 * {@link S3ResumableFile} keeps short appends (its tail piece is rewritten into the next piece), with the parts
 * written straight into the blob's own multipart upload instead of being copied there at the end.
 *
 * <p>The tail of the checkpoint before the last is deleted at each sync; the last two are kept, so that the catalog
 * failing to record the newest checkpoint still leaves it the previous one to reopen at. Every tail goes at finish.
 */
final class S3BlobWriter implements BlobWriter {
    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(S3BlobWriter.class.getName());
    /** S3 joins at most 10,000 parts. */
    static final int MAX_PARTS = 10_000;
    private static final int INITIAL_BUFFER = 64 * 1024;

    private final S3BlobStore store;
    private final String blobId;
    private final String key;
    private final int partSize;
    /** The size of the finished blob, when it was found finished at reopen; then nothing is written. */
    private final Long finishedSize;
    private String uploadId;
    /** Parts 1 to {@code parts}, of {@code partBytes} bytes, hold the blob's first bytes; durable once uploaded. */
    private int parts;
    private long partBytes;
    /** The bytes after the parts: the durable tail, then what was written since. Grows up to one part. */
    private byte[] buffer;
    private int filled;
    private long written;
    /** The last checkpoint given (or reopened at), if any. */
    private BlobCheckpoint last;
    private String tail;
    private String priorTail;
    private boolean finished;
    private boolean closed;

    private S3BlobWriter(S3BlobStore store, String blobId, Long finishedSize, long offset) {
        this.store = store;
        this.blobId = blobId;
        this.key = store.layout().blob(blobId);
        this.partSize = (int) Math.min(Integer.MAX_VALUE - 8, store.partSizeBytes());
        this.finishedSize = finishedSize;
        this.written = offset;
        this.buffer = new byte[Math.min(INITIAL_BUFFER, partSize)];
    }

    static S3BlobWriter created(S3BlobStore store, String blobId) {
        return new S3BlobWriter(store, blobId, null, 0);
    }

    /** A writer going on from {@code checkpoint}, whose parts were checked and whose tail was read back. */
    static S3BlobWriter reopened(S3BlobStore store, String blobId, BlobCheckpoint checkpoint, BlobProgress progress,
                                 byte[] tailBytes) {
        S3BlobWriter writer = new S3BlobWriter(store, blobId, null, checkpoint.offset());
        writer.uploadId = progress.uploadId();
        writer.parts = progress.parts();
        writer.partBytes = progress.partBytes();
        writer.tail = progress.tail() == null ? null : store.layout().blobTails(blobId) + progress.tail();
        writer.last = checkpoint;
        writer.append(tailBytes, 0, tailBytes.length);
        return writer;
    }

    /**
     * A writer for a blob whose finish got through before a crash: what is written again is not stored (the object
     * is immutable); its finish answers the blob's size if as many bytes were written, and fails otherwise.
     */
    static S3BlobWriter finishedAlready(S3BlobStore store, String blobId, BlobCheckpoint checkpoint, long size) {
        S3BlobWriter writer = new S3BlobWriter(store, blobId, size, checkpoint.offset());
        writer.last = checkpoint;
        return writer;
    }

    @Override
    public String blobId() {
        return blobId;
    }

    @Override
    public long written() {
        return written;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        requireOpen();
        if (finishedSize != null) {
            written += length;
            return;
        }
        for (int at = offset, end = offset + length; at < end; ) {
            int taken = append(bytes, at, end - at);
            at += taken;
            written += taken;
            if (filled == partSize) {
                uploadPart();
            }
        }
    }

    /** Copies what fits of one part into the buffer, growing it; returns how much. */
    private int append(byte[] bytes, int offset, int length) {
        int taken = Math.min(length, partSize - filled);
        if (filled + taken > buffer.length) {
            buffer = Arrays.copyOf(buffer, (int) Math.min(partSize, Math.max(2L * buffer.length, filled + taken)));
        }
        System.arraycopy(bytes, offset, buffer, filled, taken);
        filled += taken;
        return taken;
    }

    @Override
    public BlobCheckpoint sync() {
        requireOpen();
        if (last != null && last.offset() == written) {
            return last; // nothing new (or a finished blob written again)
        }
        String newTail = null;
        if (filled >= UploadState.MIN_PART_BYTES) {
            uploadPart();
        } else if (filled > 0 || uploadId == null) {
            // a blob without parts gets a tail even when empty: it is what proves a synced blob exists
            newTail = store.layout().newBlobTail(blobId, written);
            store.put(newTail, buffer, filled);
        }
        String tailName = newTail == null ? null : newTail.substring(store.layout().blobTails(blobId).length());
        last = new BlobCheckpoint(written, new BlobProgress(uploadId, parts, partBytes, tailName).encode());
        if (priorTail != null) {
            store.deleteQuietly(priorTail);
        }
        priorTail = tail;
        tail = newTail;
        return last;
    }

    @Override
    public long finish() {
        requireOpen();
        if (finishedSize != null) {
            if (written != finishedSize) {
                throw new StorageException("the blob " + blobId + " was finished with " + finishedSize
                        + " bytes, but " + written + " were written to finish it again");
            }
        } else if (uploadId == null) {
            store.put(key, buffer, filled);
        } else {
            if (filled > 0) {
                uploadPart();
            }
            complete();
        }
        finished = true;
        buffer = null;
        store.deleteTails(blobId);
        return written;
    }

    /** Joins parts 1 to {@code parts}, checking that they are this writer's: as many bytes as written. */
    private void complete() {
        List<CompletedPart> completed = store.parts(key, uploadId, parts, written).stream()
                .map(part -> CompletedPart.builder().partNumber(part.partNumber()).eTag(part.eTag()).build())
                .toList();
        try {
            store.calls().completeMultipartUpload(b -> b.bucket(store.bucket()).key(key).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(completed)));
        } catch (SdkException e) {
            throw S3Errors.translate("finishing the blob " + blobId, e);
        }
    }

    private void uploadPart() {
        if (parts == MAX_PARTS) {
            throw new StorageException("the blob " + blobId + " has S3's " + MAX_PARTS + " parts already");
        }
        try {
            if (uploadId == null) {
                uploadId = store.calls().createMultipartUpload(b -> b.bucket(store.bucket()).key(key)
                        .contentType("application/octet-stream")).uploadId();
            }
            int number = parts + 1;
            byte[] bytes = buffer;
            int length = filled;
            // a stream per attempt, over the buffer itself: a retried part is sent again without a copy
            store.calls().uploadPart(b -> b.bucket(store.bucket()).key(key).uploadId(uploadId).partNumber(number)
                            .contentLength((long) length),
                    RequestBody.fromContentProvider(() -> new ByteArrayInputStream(bytes, 0, length), length,
                            "application/octet-stream"));
            parts = number;
            partBytes += length;
            filled = 0;
        } catch (SdkException e) {
            throw S3Errors.translate("writing part " + (parts + 1) + " of the blob " + blobId, e);
        }
    }

    /** Lets go of the buffer; what was synced is in the bucket, and what was not is dropped with it. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            buffer = null;
            LOG.finest(() -> "closed the writer of blob " + blobId);
        }
    }

    private void requireOpen() {
        if (closed || finished) {
            throw new IllegalStateException("the writer of blob " + blobId + " is " + (closed ? "closed" : "finished"));
        }
    }
}
