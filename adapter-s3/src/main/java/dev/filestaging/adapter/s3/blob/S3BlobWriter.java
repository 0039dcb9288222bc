package dev.filestaging.adapter.s3.blob;

import dev.filestaging.adapter.s3.client.S3Settings;
import dev.filestaging.ports.out.StorageException;
import dev.filestaging.ports.out.blob.BlobCheckpoint;
import dev.filestaging.ports.out.blob.BlobWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.Part;

/**
 * The one writer of a blob in the bucket. Bytes gather in a buffer of one part.
 *
 * <p>Until the blob's first sync, each full buffer becomes the next part of the blob's own multipart upload: a blob
 * written in one session without syncs is one multipart upload streamed with two parts in memory (or a single
 * {@code PutObject} when smaller than a part), with no copy.
 *
 * <p>Once a checkpoint exists, full buffers go to a <em>piece</em> of their own instead (a multipart upload under the
 * blob's tails), which the next sync completes and adds to the blob's upload as one part, by a copy inside the store.
 * So the blob's upload only ever holds parts a checkpoint counts, but for the one a sync adds just before its
 * checkpoint is recorded, which the next session's first part replaces: a crashed writer's unsynced bytes never
 * linger there. That matters on Ceph RGW 16, which refuses to complete an upload that holds parts beyond those named
 * (400 InvalidPart), so an upload with a crashed writer's extra parts could never be finished.
 *
 * <p>A sync with less than a part's minimum (S3's 5 MiB) after the parts stores those bytes as a <em>tail</em>
 * object, which the checkpoint names; the buffer keeps them, so they go on into the next part, and a writer reopened
 * at the checkpoint reads the tail back into its buffer: short tus appends cost a small object, not a part.
 * The tail of the checkpoint before the last is deleted at each sync; the last two are kept, so that the catalog
 * failing to record the newest checkpoint still leaves it the previous one to reopen at. Every tail goes at finish.
 *
 * <p>A <em>resumable</em> blob ({@link S3BlobStore#createResumable}) goes through pieces from its first byte, and keeps
 * them: every full buffer goes to a piece named after the part of the blob it becomes
 * ({@code blob-tails/{id}/pieces/{part}-{uuid}}), each sync with a part's minimum or more completes its piece (or puts
 * the buffer as one) and copies it into the blob's upload, and the piece stays, so that every synced byte is in a
 * readable object ({@link S3BlobStore#readDurable}) until the blob is finished or deleted. A writer reopened at a
 * checkpoint finds the pieces beyond its parts gone ({@link S3BlobStore#reopen} deletes them), so a crashed session's
 * stale pieces never mix with the new ones. Its finish completes the upload, then aborts any other upload of the
 * blob's key (a crashed session's) and removes pieces and tails, best-effort: deleting the blob removes what is left.
 * A finish that would leave a crashed session's parts beyond its own in the upload (reopened at a checkpoint older
 * than that session's last sync, with too few bytes since to overwrite them) completes a new upload copied from the
 * kept pieces instead, as Ceph RGW 16 refuses to complete an upload holding parts not named.
 *
 * <p>A piece is copied as one part, and S3 copies at most 5 GiB so: a piece about to outgrow that is completed and
 * set aside, and a new one begun (named after the part after it); the next sync copies them all in order.
 */
final class S3BlobWriter implements BlobWriter {
    private static final int INITIAL_BUFFER = 64 * 1024;

    private final S3BlobStore store;
    private final String blobId;
    private final boolean resumable;
    private final int partSize;
    /** The size of the finished blob, when it was found finished at reopen; then nothing is written. */
    private final Long finishedSize;
    /** For a blob found finished: checks that what is written again is what it holds. */
    private FinishedBlobCheck rewritten;
    /** The blob's own multipart upload: its parts hold the blob's first bytes. */
    private PartStream blob;
    /**
     * The highest part number the blob's upload held when reopened: beyond the checkpoint's parts when a crashed
     * session's sync added one the catalog never recorded.
     */
    private int partsListed;
    /** The piece being written since the last sync, once a checkpoint exists and a full part was written. */
    private PartStream piece;
    /**
     * Pieces completed since the last sync because one more part would have made them too large to copy (S3 copies at
     * most 5 GiB as a part): the next sync copies them in order, before {@link #piece}.
     */
    private final List<PartStream> rolled = new ArrayList<>();
    /** The bytes after the parts (and the piece): the durable tail, then what was written since; up to one part. */
    private byte[] buffer;
    private int filled;
    private long written;
    /** The last checkpoint given (or reopened at), if any. */
    private BlobCheckpoint last;
    private String tail;
    private String priorTail;
    private boolean finished;
    private boolean closed;

    private S3BlobWriter(S3BlobStore store, String blobId, boolean resumable, Long finishedSize, long offset,
                         PartStream blob) {
        this.store = store;
        this.blobId = blobId;
        this.resumable = resumable;
        this.partSize = (int) Math.min(Integer.MAX_VALUE - 8, store.partSizeBytes());
        this.finishedSize = finishedSize;
        this.written = offset;
        this.blob = blob;
        this.buffer = new byte[Math.min(INITIAL_BUFFER, partSize)];
    }

    static S3BlobWriter created(S3BlobStore store, String blobId) {
        return new S3BlobWriter(store, blobId, false, null, 0,
                new PartStream(store, store.layout().blob(blobId), null, List.of(), 0));
    }

    /** A new resumable blob: every synced byte is kept in a readable piece or tail until it is finished. */
    static S3BlobWriter createdResumable(S3BlobStore store, String blobId) {
        return new S3BlobWriter(store, blobId, true, null, 0,
                new PartStream(store, store.layout().blob(blobId), null, List.of(), 0));
    }

    /** A writer going on from {@code checkpoint}, whose parts were listed and checked and whose tail was read back. */
    static S3BlobWriter reopened(S3BlobStore store, String blobId, BlobCheckpoint checkpoint, BlobProgress progress,
                                 List<Part> listedParts, int partsListed, byte[] tailBytes) {
        List<CompletedPart> parts = listedParts.stream()
                .map(part -> CompletedPart.builder().partNumber(part.partNumber()).eTag(part.eTag()).build())
                .toList();
        S3BlobWriter writer = new S3BlobWriter(store, blobId, progress.resumable(), null, checkpoint.offset(),
                new PartStream(store, store.layout().blob(blobId), progress.uploadId(), parts, progress.partBytes()));
        writer.tail = progress.tail() == null ? null : store.layout().blobTails(blobId) + progress.tail();
        writer.last = checkpoint;
        writer.partsListed = partsListed;
        writer.append(tailBytes, 0, tailBytes.length);
        return writer;
    }

    /**
     * A writer for a blob whose finish got through before a crash: what is written again is not stored (the object
     * is immutable); its finish answers the blob's size if as many bytes were written, and fails otherwise.
     */
    static S3BlobWriter finishedAlready(S3BlobStore store, String blobId, BlobCheckpoint checkpoint, long size) {
        S3BlobWriter writer = new S3BlobWriter(store, blobId, false, size, checkpoint.offset(), null);
        writer.last = checkpoint;
        writer.rewritten = new FinishedBlobCheck(store, blobId, checkpoint.offset(), size);
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
            rewritten.wrote(bytes, offset, length);
            written += length;
            return;
        }
        for (int at = offset, end = offset + length; at < end; ) {
            int taken = append(bytes, at, end - at);
            at += taken;
            written += taken;
            if (filled == partSize) {
                if ((resumable || last != null) && piece == null) {
                    piece = new PartStream(store, newPieceKey(), null, List.of(), 0);
                } else if (piece != null && piece.bytesSent() + 2L * partSize > store.maxPieceBytes()) {
                    // with this part and a sync's remainder (less than a part), it could no longer be copied
                    piece.complete();
                    rolled.add(piece);
                    piece = new PartStream(store, newPieceKey(), null, List.of(), 0);
                }
                sendBuffer(piece != null ? piece : blob);
            }
        }
    }

    /** A new piece's key: for a resumable blob, named after the part it becomes (the blob's upload gets no other). */
    private String newPieceKey() {
        return resumable ? store.layout().newBlobPiece(blobId, blob.parts() + rolled.size() + 1)
                : store.layout().newBlobPiece(blobId);
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

    private void sendBuffer(PartStream to) {
        byte[] free = to.send(buffer, filled);
        buffer = free != null ? free : new byte[Math.min(INITIAL_BUFFER, partSize)];
        filled = 0;
    }

    @Override
    public BlobCheckpoint sync() {
        requireOpen();
        if (last != null && last.offset() == written) {
            return last; // nothing new (or a finished blob written again)
        }
        if (finishedSize != null) {
            rewritten.check(written);
            last = new BlobCheckpoint(written, last.state());
            return last;
        }
        blob.await();
        String newTail = null;
        if (piece != null) {
            addPiece();
        } else if (filled >= S3Settings.MIN_PART_SIZE_BYTES) {
            if (resumable) {
                addPiece();
            } else {
                sendBuffer(blob);
                blob.await();
            }
        } else if (filled > 0 || blob.uploadId() == null) {
            // a blob without parts gets a tail even when empty: it is what proves a synced blob exists
            newTail = store.layout().newBlobTail(blobId, written);
            store.put(newTail, buffer, filled);
        }
        String tailName = newTail == null ? null : newTail.substring(store.layout().blobTails(blobId).length());
        last = new BlobCheckpoint(written, new BlobProgress(resumable, blob.uploadId(), blob.parts(), blob.bytes(),
                tailName).encode());
        if (priorTail != null) {
            store.deleteQuietly(priorTail);
        }
        priorTail = tail;
        tail = newTail;
        return last;
    }

    /**
     * Ends the piece with the buffer (or, with no piece begun, stores the buffer as one), and adds it to the blob's
     * upload as its next part; a resumable blob keeps the piece, others delete it.
     */
    private void addPiece() {
        String key;
        if (piece == null) {
            key = newPieceKey();
            store.put(key, buffer, filled);
            try {
                blob.copyPart(key, filled);
            } catch (RuntimeException e) {
                store.deleteQuietly(key); // a sync tried again puts a new one for that part
                throw e;
            }
            filled = 0;
        } else {
            if (filled > 0) {
                sendBuffer(piece);
            }
            piece.complete();
            while (!rolled.isEmpty()) {
                PartStream done = rolled.get(0);
                blob.copyPart(done.key(), done.bytes());
                rolled.remove(0);
                if (!resumable) {
                    store.deleteQuietly(done.key());
                }
            }
            blob.copyPart(piece.key(), piece.bytes());
            key = piece.key();
            piece = null;
        }
        if (!resumable) {
            store.deleteQuietly(key);
        }
    }

    @Override
    public long finish() {
        requireOpen();
        if (finishedSize != null) {
            if (written != finishedSize) {
                throw new StorageException("the blob " + blobId + " was finished with " + finishedSize
                        + " bytes, but " + written + " were written to finish it again");
            }
            rewritten.check(written);
        } else {
            blob.await();
            int parts = blob.parts() + rolled.size() + (piece != null ? 1 : 0) + (filled > 0 ? 1 : 0);
            if (resumable && partsListed > parts) {
                blob = rebuilt(); // the old upload goes with the others below
            }
            if (piece != null) {
                addPiece();
            }
            if (blob.uploadId() == null) {
                store.put(blob.key(), buffer, filled);
            } else {
                if (filled > 0) {
                    sendBuffer(blob);
                }
                blob.await();
                if (blob.bytes() != written) {
                    throw new IllegalStateException("the blob " + blobId + " holds " + blob.bytes() + " bytes, not "
                            + written);
                }
                blob.complete();
            }
            if (resumable) {
                // a crashed session's upload (begun after the checkpoint reopened at), or the one rebuilt() replaced
                store.abortOtherUploads(blob.key(), blob.uploadId());
            }
        }
        finished = true;
        buffer = null;
        store.deleteTails(blobId);
        return written;
    }

    /**
     * A new multipart upload of the blob holding its parts so far, copied from their kept pieces: for a finish that
     * would leave parts of a crashed session beyond its own in the blob's upload, which Ceph RGW 16 refuses to
     * complete (400 InvalidPart) and which no upload can drop. The old upload stays until the new one is complete, so
     * a crash before that still leaves the checkpoint reopened at valid.
     */
    private PartStream rebuilt() {
        PartStream fresh = new PartStream(store, blob.key(), null, List.of(), 0);
        for (var kept : store.keptPieces(blobId, blob.parts(), blob.bytes())) {
            fresh.copyPart(kept.key(), kept.size());
        }
        return fresh;
    }

    /**
     * Lets go of the buffer and stops any part travelling. The piece (never synced) is aborted; so is the blob's own
     * upload when no checkpoint was ever given, since nothing can reopen it. Never throws.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        buffer = null;
        if (piece != null) {
            piece.abandon();
        }
        if (blob != null) {
            if (last == null && !finished) {
                blob.abandon();
            } else {
                blob.stop();
            }
        }
    }

    private void requireOpen() {
        if (closed || finished) {
            throw new IllegalStateException("the writer of blob " + blobId + " is " + (closed ? "closed" : "finished"));
        }
    }
}
