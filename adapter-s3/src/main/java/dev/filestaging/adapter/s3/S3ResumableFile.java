package dev.filestaging.adapter.s3;

import dev.filestaging.ports.StoredFile;
import dev.filestaging.ports.out.CommitOutcome;
import dev.filestaging.ports.out.ResumableFile;
import dev.filestaging.ports.out.StorageException;
import dev.filestaging.ports.out.UploadTicket;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * One writer's hold on a resumable upload in the bucket. Appended bytes stream into a new piece object (through the
 * SDK's multipart client, so memory stays at a few parts whatever the append's size); a sync finishes the piece and
 * records it in the upload's state, which is what makes it durable. A piece too small to be a part but the last (a
 * short append) is the upload's tail: the next append copies it into its own piece first, so every piece but the
 * last stays large enough, and the commit joins the pieces by copying them, inside the store, as the parts of the
 * file's content object.
 */
final class S3ResumableFile implements ResumableFile {
    private static final Logger LOG = Logger.getLogger(S3ResumableFile.class.getName());
    /** A piece is closed and a new one begun after this much: a part copy takes at most 5 GiB. */
    static final long PIECE_MAX_BYTES = 1L << 30;
    /** S3 joins at most this many parts; a margin is kept below its 10,000. */
    private static final long MAX_PARTS = 9_000;
    /** The tail threshold of an upload whose length is not known yet. */
    private static final long DEFERRED_TAIL_BYTES = 16L * 1024 * 1024;

    private final S3ResumableUploads uploads;
    private final S3StagingStore store;
    private UploadState state;
    /** A length declared since the last sync, recorded by the next sync or commit. */
    private UploadTicket declared;
    /** The piece being written since the last sync, if any. */
    private ContentUpload current;
    private String currentKey;
    private long currentBytes;
    /** Pieces finished since the last sync, not yet recorded. */
    private final List<UploadState.Piece> finished = new ArrayList<>();
    /** The durable tail being rewritten into the current piece, if any. */
    private UploadState.Piece rewrittenTail;
    private long written;
    private boolean ended;
    private boolean closed;

    S3ResumableFile(S3ResumableUploads uploads, UploadState state) {
        this.uploads = uploads;
        this.store = uploads.store();
        this.state = state;
        this.written = state.offset();
    }

    @Override
    public UploadTicket ticket() {
        return declared != null ? declared : state.ticket();
    }

    @Override
    public long offset() {
        return state.offset();
    }

    @Override
    public void write(byte[] buffer, int offset, int length) {
        requireOpen();
        if (current == null) {
            startPiece();
        }
        current.write(buffer, offset, length);
        currentBytes += length;
        written += length;
        if (currentBytes >= PIECE_MAX_BYTES) {
            finishPiece();
        }
    }

    @Override
    public long sync() {
        requireOpen();
        if (current == null && finished.isEmpty() && declared == null) {
            return state.offset();
        }
        try {
            UploadState synced = new UploadState(ticket(), written, piecesWritten(), false, state.joining());
            uploads.writeState(synced);
            UploadState.Piece replaced = rewrittenTail;
            state = synced;
            declared = null;
            finished.clear();
            rewrittenTail = null;
            if (replaced != null) {
                store.discardContent(replaced.key()); // a failure leaves a stray that ending the upload deletes
            }
            return state.offset();
        } catch (RuntimeException e) {
            rollback();
            throw e;
        }
    }

    @Override
    public void rollback() {
        requireOpen();
        if (current != null) {
            current.cancel();
            store.discardContent(currentKey);
            current = null;
        }
        finished.forEach(piece -> store.discardContent(piece.key()));
        finished.clear();
        rewrittenTail = null;
        written = state.offset();
        declared = null;
    }

    /** Finishes the piece being written; the pieces that hold every byte written, synced or not, in order. */
    private List<UploadState.Piece> piecesWritten() {
        if (current != null) {
            finishPiece();
        }
        List<UploadState.Piece> pieces = new ArrayList<>(state.pieces());
        if (rewrittenTail != null) {
            pieces.remove(pieces.size() - 1);
        }
        pieces.addAll(finished);
        return pieces;
    }

    @Override
    public InputStream readDurable() {
        Iterator<UploadState.Piece> pieces = state.pieces().iterator();
        Enumeration<InputStream> streams = new Enumeration<>() {
            @Override
            public boolean hasMoreElements() {
                return pieces.hasNext();
            }

            @Override
            public InputStream nextElement() {
                return read(pieces.next());
            }
        };
        return new SequenceInputStream(streams);
    }

    @Override
    public void declareLength(long length) {
        requireOpen();
        declared = ticket().withLength(length);
    }

    /**
     * Makes the last bytes durable, joins the pieces into a new content object and turns the name's reservation into
     * the file's record. Safe to run again after a crash at any step, by any instance: the content key is noted in the
     * (acknowledged, otherwise unchanged) state before the join, so a later commit recognises a record made from this
     * upload (and answers {@link CommitOutcome.Committed} with that file, then cleans up), or discards the content an
     * unfinished join left (and its open multipart upload).
     */
    @Override
    public CommitOutcome commit(StoredFile metadata) {
        requireOpen();
        if (!metadata.key().equals(ticket().key()) || metadata.sizeBytes() != written) {
            throw new IllegalStateException("commit what was written, under the upload's name: " + metadata);
        }
        String nameKey = store.layout().nameRecord(ticket().key());
        Optional<NameEntry> entry = store.records().readEntry(nameKey);
        if (entry.isPresent() && entry.get() instanceof NameRecord file) {
            if (uploads.stagedFrom(state, file)) {
                rollback(); // an earlier commit of this upload staged it and stopped before cleaning up
                ended = true;
                uploads.finishStaged(state, file.file());
                return new CommitOutcome.Committed(file.file());
            }
            return new CommitOutcome.AlreadyExists(file.file());
        }
        if (entry.isEmpty() || !((NameReservation) entry.get()).uploadId().equals(ticket().id())) {
            // another upload's name, or none: this upload ended (its name is freed first) while we held it
            return new CommitOutcome.AlreadyExists(null);
        }
        // the last bytes are durable as pieces, but never recorded in the state: only the commit acknowledges them
        List<UploadState.Piece> pieces = piecesWritten();
        state.joiningContent().ifPresent(store::discardContent); // an earlier commit died before its record
        String contentKey = store.layout().newContent(ticket().key().area(), store.instance());
        UploadState noted = state.joiningInto(contentKey);
        uploads.writeState(noted);
        state = noted;
        assemble(contentKey, pieces);
        try {
            store.records().replaceReservation((NameReservation) entry.get(), metadata, contentKey);
        } catch (StorageException e) {
            settleUnknownOutcome(nameKey, contentKey);
            throw e;
        }
        ended = true;
        uploads.finishStaged(state, metadata);
        return new CommitOutcome.Committed(metadata);
    }

    /** A record write that failed without saying whether it happened: the content stays if a record may use it. */
    private void settleUnknownOutcome(String nameKey, String contentKey) {
        try {
            Optional<NameRecord> record = store.records().read(nameKey);
            if (record.isEmpty() || !record.get().contentKey().equals(contentKey)) {
                store.discardContent(contentKey);
            }
        } catch (StorageException unknown) {
            // the orphan sweep deletes the content later if no record refers to it
        }
    }

    @Override
    public void terminate() {
        requireOpen();
        rollback();
        ended = true;
        uploads.end(state);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (!ended && (current != null || !finished.isEmpty())) {
                rollback();
            }
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "rolling back upload " + ticket().id() + " on close", e);
        } finally {
            uploads.released(ticket().id());
        }
    }

    /** Starts the next piece; the first after a sync begins with the durable tail, if the upload has one. */
    private void startPiece() {
        currentKey = store.layout().newPiece(ticket().id(), store.instance());
        current = store.newContentUpload(currentKey);
        currentBytes = 0;
        Optional<UploadState.Piece> tail = state.tail(tailBytes());
        if (finished.isEmpty() && rewrittenTail == null && tail.isPresent()) {
            rewrittenTail = tail.get();
            try (InputStream bytes = read(tail.get())) {
                byte[] buffer = new byte[64 * 1024];
                for (int n; (n = bytes.read(buffer)) > 0; ) {
                    current.write(buffer, 0, n);
                    currentBytes += n;
                }
            } catch (IOException e) {
                throw new StorageException.StorageUnavailableException("reading the tail of upload "
                        + ticket().id() + " failed", e);
            }
        }
    }

    private void finishPiece() {
        ContentUpload piece = current;
        current = null;
        try {
            piece.finish();
        } catch (RuntimeException e) {
            store.discardContent(currentKey);
            throw e;
        }
        finished.add(new UploadState.Piece(currentKey, currentBytes));
    }

    /**
     * Below this a last piece is rewritten by the next append: at least S3's 5 MiB, and large enough that the
     * upload's length needs no more than {@link #MAX_PARTS} pieces.
     */
    private long tailBytes() {
        long length = ticket().lengthDeferred() ? 0 : ticket().length();
        return Math.max(UploadState.MIN_PART_BYTES,
                ticket().lengthDeferred() ? DEFERRED_TAIL_BYTES : (length + MAX_PARTS - 1) / MAX_PARTS);
    }

    /** Joins the pieces into one content object by copies inside the store, as the parts of a multipart upload. */
    private void assemble(String contentKey, List<UploadState.Piece> pieces) {
        String bucket = store.bucket();
        if (pieces.isEmpty()) {
            try {
                store.calls().putObject(b -> b.bucket(bucket).key(contentKey).contentType("application/octet-stream"),
                        RequestBody.empty());
                return;
            } catch (SdkException e) {
                throw S3Errors.translate("storing " + contentKey, e);
            }
        }
        String multipart;
        try {
            multipart = store.calls().createMultipartUpload(b -> b.bucket(bucket).key(contentKey)
                    .contentType("application/octet-stream")).uploadId();
        } catch (SdkException e) {
            throw S3Errors.translate("starting " + contentKey, e);
        }
        try {
            // the copies run side by side: a store that copies by streaming (S3Proxy) is then not bound by one stream
            List<java.util.concurrent.CompletableFuture<CompletedPart>> copies = new ArrayList<>();
            for (UploadState.Piece piece : pieces) {
                int number = copies.size() + 1;
                copies.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> CompletedPart.builder()
                        .partNumber(number).eTag(store.calls().uploadPartCopy(b -> b.sourceBucket(bucket)
                                .sourceKey(piece.key()).destinationBucket(bucket).destinationKey(contentKey)
                                .uploadId(multipart).partNumber(number)).copyPartResult().eTag()).build(),
                        store.parallelCalls()));
            }
            List<CompletedPart> parts = new ArrayList<>();
            for (java.util.concurrent.CompletableFuture<CompletedPart> copy : copies) {
                parts.add(copy.join());
            }
            store.calls().completeMultipartUpload(b -> b.bucket(bucket).key(contentKey).uploadId(multipart)
                    .multipartUpload(m -> m.parts(parts)));
        } catch (SdkException | java.util.concurrent.CompletionException e) {
            store.discardContent(contentKey);
            throw S3Errors.translate("joining the pieces of upload " + ticket().id(), e);
        }
    }

    private InputStream read(UploadState.Piece piece) {
        try {
            return store.calls().getObject(b -> b.bucket(store.bucket()).key(piece.key()));
        } catch (SdkException e) {
            throw S3Errors.translate("reading " + piece.key(), e);
        }
    }

    private void requireOpen() {
        if (ended || closed) {
            throw new IllegalStateException("the upload " + ticket().id() + " has ended");
        }
    }
}
