package dev.filestaging.adapter.s3;

import dev.filestaging.ports.FileKey;
import dev.filestaging.ports.StoredFile;
import dev.filestaging.ports.out.ResumableUploads;
import dev.filestaging.ports.out.UploadTicket;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Resumable uploads kept in the bucket, so that any instance continues what another began (see {@link BucketLayout}):
 * the name's record holds the upload's {@link NameReservation}; {@code uploads/{id}/state} its ticket, durable offset
 * and pieces; {@code uploads/{id}/lock} the one writer. Nothing is kept in a process between requests.
 *
 * <p>Order makes crashes harmless. An upload is created by reserving its name first and writing its state second, and
 * ends by freeing its name first and deleting its objects after: a state is only an open upload while its name's
 * reservation is there, so a crash between the two writes never leaves an upload that answers without holding its
 * name (a state left so is treated as gone and cleaned up; a reservation left without its state is taken over once its
 * creator is presumed dead, see {@link #abandoned}). A commit notes the content it joins into in the state before the
 * join, so that a commit run again after a crash recognises its own name record (see {@link S3ResumableFile#commit}).
 */
final class S3ResumableUploads implements ResumableUploads {
    private static final Logger LOG = Logger.getLogger(S3ResumableUploads.class.getName());

    private final S3StagingStore store;
    private final UploadLocks locks;
    /** The open uploads' states last read by {@link #heldBytes}, by key. */
    private final java.util.Map<String, Read> states = new java.util.concurrent.ConcurrentHashMap<>();

    S3ResumableUploads(S3StagingStore store, UploadLocks locks) {
        this.store = store;
        this.locks = locks;
    }

    @Override
    public Optional<UploadTicket> reserve(UploadTicket ticket) {
        NameReservation reservation = new NameReservation(store.layout().nameRecord(ticket.key()), ticket.id());
        if (!takeName(reservation)) {
            return Optional.empty();
        }
        try {
            writeState(new UploadState(ticket, 0, List.of()));
            return Optional.of(ticket);
        } catch (RuntimeException e) {
            try {
                store.records().release(reservation.key(), ticket.id());
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup); // taken over later as abandoned: it has no state
            }
            throw e;
        }
    }

    /** Reserves the name; a reservation abandoned by a creator that died before writing its state is taken over. */
    private boolean takeName(NameReservation reservation) {
        for (int attempt = 1; ; attempt++) {
            try {
                store.records().reserve(reservation);
                return true;
            } catch (NameRecords.NameTakenException taken) {
                Optional<NameEntry> holder = store.records().readEntry(reservation.key());
                if (holder.isPresent() && holder.get().equals(reservation)) {
                    return true; // ours: the SDK retried a reservation whose answer was lost
                }
                if (attempt > 1 || holder.isPresent() && !(holder.get() instanceof NameReservation)) {
                    return false;
                }
                if (holder.isPresent() && !removeIfAbandoned((NameReservation) holder.get())) {
                    return false;
                }
            }
        }
    }

    /**
     * The state of the open upload {@code uploadId}, or empty when it is not open. A state whose name is no longer
     * reserved by it is not open: either a commit staged it and stopped before cleaning up (that is finished now), or
     * its end stopped between freeing the name and deleting the state (that is finished now too).
     */
    private Optional<UploadState> readOpen(String uploadId) {
        Optional<UploadState> state = readState(uploadId);
        if (state.isEmpty()) {
            return state;
        }
        Optional<NameEntry> entry = store.records().readEntry(store.layout().nameRecord(state.get().ticket().key()));
        if (entry.isPresent() && entry.get() instanceof NameReservation held && held.uploadId().equals(uploadId)) {
            return state;
        }
        try {
            if (entry.isPresent() && entry.get() instanceof NameRecord record && stagedFrom(state.get(), record)) {
                finishStaged(state.get(), record.file());
            } else {
                deleteObjects(state.get()); // the name is free or another's: nothing of this upload can be staged
            }
            // a writer still holding it (or one that died holding it) can write nothing more: the state is gone
            deleteObject(store.layout().uploadLock(uploadId));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not finish cleaning up upload {0}: {1}", new Object[] {uploadId,
                    e.getMessage()});
        }
        return Optional.empty();
    }

    @Override
    public Optional<UploadStatus> status(String uploadId) {
        return readOpen(uploadId).map(state -> new UploadStatus(state.ticket(), state.offset()));
    }

    @Override
    public Optional<UploadTicket> staged(String uploadId) {
        return read(store.layout().uploadStaged(uploadId), uploadId).map(Read::state).map(UploadState::ticket);
    }

    @Override
    public Opened openForWriting(String uploadId) {
        Optional<UploadState> before = readState(uploadId);
        // a commit began: it may have staged the upload and died before cleaning up, whoever holds the lock now
        if (before.isEmpty() || before.get().joiningContent().isPresent() && readOpen(uploadId).isEmpty()) {
            return new Opened.Gone();
        }
        if (!locks.acquire(uploadId)) {
            return new Opened.Busy();
        }
        try {
            Optional<UploadState> state = readOpen(uploadId); // it may have ended before we locked it
            if (state.isEmpty()) {
                locks.release(uploadId);
                return new Opened.Gone();
            }
            store.uploadSlots().take();
            return new Opened.Writing(new S3ResumableFile(this, state.get()));
        } catch (RuntimeException e) {
            locks.release(uploadId);
            throw e;
        }
    }

    @Override
    public boolean isReserved(FileKey key) {
        Optional<NameReservation> reservation = store.records().readEntry(store.layout().nameRecord(key))
                .filter(NameReservation.class::isInstance).map(NameReservation.class::cast);
        return reservation.isPresent() && !removeIfAbandoned(reservation.get());
    }

    /**
     * Reads the state of every open upload (of every area: upload keys do not name their area); states unchanged
     * since the last call, by their ETags, are not read again.
     */
    /** The state objects under {@code uploads/}: one per open upload (a committed one keeps only its note). */
    @Override
    public long openCount() {
        long open = 0;
        for (S3Object object : NameRecords.objectsUnder(bucket(), store.layout().uploads(), store.calls())) {
            if (store.layout().isUploadState(object.key())) {
                open++;
            }
        }
        return open;
    }

    @Override
    public long heldBytes(dev.filestaging.ports.StagingArea area) {
        return openStates(area).stream().mapToLong(state -> ResumableUploads.held(state.ticket(), state.offset()))
                .sum();
    }

    @Override
    public long openCount(dev.filestaging.ports.StagingArea area) {
        return openStates(area).size();
    }

    /** The states of the area's open uploads (read from the bucket, each one again only when its ETag changed). */
    private List<UploadState> openStates(dev.filestaging.ports.StagingArea area) {
        List<UploadState> open = new ArrayList<>();
        java.util.Set<String> listed = new java.util.HashSet<>();
        for (S3Object object : NameRecords.objectsUnder(bucket(), store.layout().uploads(), store.calls())) {
            if (!store.layout().isUploadState(object.key())) {
                continue;
            }
            listed.add(object.key());
            Read cached = states.get(object.key());
            Optional<Read> state = cached != null && cached.etag().equals(object.eTag())
                    ? Optional.of(cached) : read(object.key(), store.layout().uploadOf(object.key()).orElseThrow());
            state.ifPresent(read -> states.put(object.key(), read));
            if (state.isPresent() && state.get().state().ticket().key().area().equals(area)) {
                open.add(state.get().state());
            }
        }
        states.keySet().retainAll(listed);
        return open;
    }

    /** Ends every expired upload not being written now, on whichever instance began it. */
    @Override
    public List<UploadTicket> expire(Instant now) {
        List<UploadTicket> expired = new ArrayList<>();
        for (S3Object object : NameRecords.objectsUnder(bucket(), store.layout().uploads(), store.calls())) {
            Optional<String> id = store.layout().uploadOf(object.key());
            if (store.layout().isUploadStaged(object.key())) {
                staged(id.orElseThrow()).filter(ticket -> ticket.expires().isBefore(now))
                        .ifPresent(ticket -> deleteObject(object.key())); // it holds nothing: not returned
                continue;
            }
            if (id.isPresent() && object.key().equals(store.layout().uploadLock(id.get()))) {
                releaseStrayLock(id.get());
                continue;
            }
            if (!store.layout().isUploadState(object.key())) {
                continue;
            }
            Optional<UploadState> state = readState(id.orElseThrow());
            if (state.isEmpty() || !state.get().ticket().expires().isBefore(now) || !locks.acquire(id.get())) {
                continue;
            }
            try {
                Optional<UploadState> open = readOpen(id.get()); // one staged or ended by a crashed writer is finished
                if (open.isPresent()) {
                    end(open.get());
                    expired.add(open.get().ticket());
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "could not end the expired upload {0}, will try again: {1}",
                        new Object[] {id.get(), e.getMessage()});
            } finally {
                locks.release(id.get());
            }
        }
        return expired;
    }

    /**
     * Deletes the lock of an upload that ended (terminated or staged) while a writer that died held it: nobody
     * releases it, and nobody takes it over, since the upload has no state left to open. A live writer's lock stays.
     */
    private void releaseStrayLock(String uploadId) {
        if (readState(uploadId).isEmpty() && locks.acquire(uploadId)) {
            locks.release(uploadId);
        }
    }

    /**
     * Frees the upload's name, then deletes its pieces, what an unfinished commit joined, and its state. The caller
     * holds its lock.
     */
    void end(UploadState state) {
        store.records().release(store.layout().nameRecord(state.ticket().key()), state.ticket().id());
        deleteObjects(state);
    }

    /** Deletes every object of the upload but its lock (pieces, joined content, state, strays of writers that died). */
    void deleteObjects(String uploadId) {
        deletePieces(uploadId);
        deleteObject(store.layout().uploadState(uploadId)); // last: while it exists, the upload can be ended again
    }

    private void deleteObjects(UploadState state) {
        state.joiningContent().ifPresent(store::discardContent);
        deleteObjects(state.ticket().id());
    }

    /** Whether {@code record} was staged from this upload by a commit (of any instance) that noted its content. */
    boolean stagedFrom(UploadState state, NameRecord record) {
        return state.joiningContent().filter(record.contentKey()::equals).isPresent();
    }

    /**
     * The last steps of a commit, after the record: notes the upload as staged, then deletes its objects. Safe to run
     * again; a failure is logged and left to whoever looks at the upload next, or to the expiry sweep.
     */
    void finishStaged(UploadState state, StoredFile file) {
        try {
            writeStaged(new UploadState(state.ticket().withLength(file.sizeBytes()), file.sizeBytes(), List.of(), true,
                    null));
            deleteObjects(state.ticket().id());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "upload {0} is staged but its pieces were not all deleted: {1}",
                    new Object[] {state.ticket().id(), e.getMessage()});
        }
    }

    /**
     * Removes a name's reservation whose creator died between reserving the name and writing the upload's state: it
     * has no state nor staged note, and is older than the instance timeout by the store's clock. Returns whether the
     * name is free now. Of several takers, a conditional delete (where honoured) lets the one that read it win.
     */
    boolean removeIfAbandoned(NameReservation reservation) {
        if (!abandoned(reservation)) {
            return false;
        }
        try {
            store.calls().deleteObject(b -> b.bucket(bucket()).key(reservation.key())
                    .ifMatch(store.records().conditionalDeletes() ? reservationEtag(reservation) : null));
            return true;
        } catch (SdkException e) {
            if (S3Errors.isPreconditionFailed(e) || S3Errors.isNotFound(e)) {
                return false;
            }
            throw S3Errors.translate("taking over " + reservation.key(), e);
        }
    }

    private boolean abandoned(NameReservation reservation) {
        if (readState(reservation.uploadId()).isPresent() || staged(reservation.uploadId()).isPresent()) {
            return false;
        }
        software.amazon.awssdk.services.s3.model.HeadObjectResponse head;
        try {
            head = store.calls().headObject(b -> b.bucket(bucket()).key(reservation.key()));
        } catch (SdkException e) {
            if (S3Errors.isNotFound(e)) {
                return false; // gone already: the caller tries again
            }
            throw S3Errors.translate("reading " + reservation.key(), e);
        }
        Instant storeNow = head.sdkHttpResponse().firstMatchingHeader("Date").flatMap(S3ResumableUploads::httpDate)
                .orElseGet(Instant::now);
        return head.lastModified().isBefore(storeNow.minus(store.instanceTimeout()));
    }

    private String reservationEtag(NameReservation reservation) {
        try {
            return store.calls().headObject(b -> b.bucket(bucket()).key(reservation.key())).eTag();
        } catch (SdkException e) {
            throw S3Errors.translate("reading " + reservation.key(), e);
        }
    }

    private static Optional<Instant> httpDate(String value) {
        try {
            return Optional.of(java.time.ZonedDateTime.parse(value,
                    java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (java.time.DateTimeException e) {
            return Optional.empty();
        }
    }

    /** Deletes the upload's pieces (and strays of writers that died), keeping its state, lock and staged note. */
    private void deletePieces(String uploadId) {
        java.util.Set<String> kept = java.util.Set.of(store.layout().uploadLock(uploadId),
                store.layout().uploadState(uploadId), store.layout().uploadStaged(uploadId));
        for (S3Object object : NameRecords.objectsUnder(bucket(), store.layout().upload(uploadId), store.calls())) {
            if (!kept.contains(object.key())) {
                deleteObject(object.key());
            }
        }
        try {
            // a piece a writer was finishing when it died: its multipart upload is still open
            for (software.amazon.awssdk.services.s3.model.MultipartUpload open : store.calls()
                    .listMultipartUploadsPaginator(b -> b.bucket(bucket()).prefix(store.layout().upload(uploadId)))
                    .uploads()) {
                store.calls().abortMultipartUpload(b -> b.bucket(bucket()).key(open.key()).uploadId(open.uploadId()));
            }
        } catch (SdkException e) {
            if (!S3Errors.isNotFound(e)) {
                throw S3Errors.translate("aborting the pieces of upload " + uploadId, e);
            }
        }
    }

    /** Notes that the upload was staged, where {@link #staged} finds it until its ticket expires. */
    void writeStaged(UploadState state) {
        put(store.layout().uploadStaged(state.ticket().id()), state.asStaged());
    }

    /** The open upload's state, or empty when it is not open (never was, committed, terminated, expired). */
    Optional<UploadState> readState(String uploadId) {
        return read(store.layout().uploadState(uploadId), uploadId).map(Read::state);
    }

    /** A state as read, with the ETag of that version of its object. */
    private record Read(UploadState state, String etag) {}

    private Optional<Read> read(String key, String uploadId) {
        ResponseBytes<GetObjectResponse> bytes;
        try {
            bytes = store.calls().getObjectAsBytes(b -> b.bucket(bucket()).key(key));
        } catch (SdkException e) {
            if (S3Errors.isNotFound(e)) {
                return Optional.empty();
            }
            throw S3Errors.translate("reading the upload " + uploadId, e);
        }
        try {
            return Optional.of(new Read(UploadState.decode(bytes.asByteArray(), store.layout()), bytes.response().eTag()));
        } catch (IOException e) {
            throw new dev.filestaging.ports.out.StorageException("the state of upload " + uploadId + " is corrupt: "
                    + e.getMessage(), e);
        }
    }

    /** Replaces the upload's state in one PUT: readers see the old state or the new, never a mix. */
    void writeState(UploadState state) {
        put(store.layout().uploadState(state.ticket().id()), state);
    }

    private void put(String key, UploadState state) {
        try {
            store.calls().putObject(b -> b.bucket(bucket()).key(key).contentType("text/plain; charset=utf-8"),
                    RequestBody.fromBytes(state.encode(store.layout())));
        } catch (SdkException e) {
            throw S3Errors.translate("recording the upload " + state.ticket().id(), e);
        }
    }

    void deleteObject(String key) {
        try {
            store.calls().deleteObject(b -> b.bucket(bucket()).key(key));
        } catch (SdkException e) {
            if (!S3Errors.isNotFound(e)) {
                throw S3Errors.translate("deleting " + key, e);
            }
        }
    }

    /** Lets the next writer in and gives back the upload slot. Never throws. */
    void released(String uploadId) {
        try {
            locks.release(uploadId);
        } finally {
            store.uploadSlots().release();
        }
    }

    S3StagingStore store() {
        return store;
    }

    private String bucket() {
        return store.bucket();
    }
}
