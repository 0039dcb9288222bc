package dev.filestaging.adapter.s3;

import dev.filestaging.ports.FileKey;
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
 * <p>Order makes crashes harmless: the state is written before the name is reserved (a state without a reservation
 * just expires), and an upload ends by freeing its name first and deleting its objects after (leftovers of an upload
 * whose name is free are found by the expiry sweep or by the next attempt to end it).
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
        writeState(new UploadState(ticket, 0, List.of()));
        NameReservation reservation = new NameReservation(store.layout().nameRecord(ticket.key()), ticket.id());
        try {
            store.records().reserve(reservation);
            return Optional.of(ticket);
        } catch (NameRecords.NameTakenException taken) {
            Optional<NameEntry> holder = store.records().readEntry(reservation.key());
            if (holder.isPresent() && holder.get().equals(reservation)) {
                return Optional.of(ticket); // ours: the SDK retried a reservation whose answer was lost
            }
            deleteObjects(ticket.id());
            return Optional.empty();
        } catch (RuntimeException e) {
            try {
                deleteObjects(ticket.id());
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup); // the state expires and is swept
            }
            throw e;
        }
    }

    @Override
    public Optional<UploadStatus> status(String uploadId) {
        return readState(uploadId).map(state -> new UploadStatus(state.ticket(), state.offset()));
    }

    @Override
    public Optional<UploadTicket> staged(String uploadId) {
        return read(store.layout().uploadStaged(uploadId), uploadId).map(Read::state).map(UploadState::ticket);
    }

    @Override
    public Opened openForWriting(String uploadId) {
        if (readState(uploadId).isEmpty()) {
            return new Opened.Gone();
        }
        if (!locks.acquire(uploadId)) {
            return new Opened.Busy();
        }
        try {
            Optional<UploadState> state = readState(uploadId); // it may have ended before we locked it
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
        return store.records().readEntry(store.layout().nameRecord(key)).filter(NameReservation.class::isInstance)
                .isPresent();
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
            if (!store.layout().isUploadState(object.key())) {
                continue;
            }
            Optional<UploadState> state = readState(id.orElseThrow());
            if (state.isEmpty() || !state.get().ticket().expires().isBefore(now) || !locks.acquire(id.get())) {
                continue;
            }
            try {
                end(state.get().ticket());
                expired.add(state.get().ticket());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "could not end the expired upload {0}, will try again: {1}",
                        new Object[] {id.get(), e.getMessage()});
            } finally {
                locks.release(id.get());
            }
        }
        return expired;
    }

    /** Frees the upload's name, then deletes its pieces and state. The caller holds its lock. */
    void end(UploadTicket ticket) {
        store.records().release(store.layout().nameRecord(ticket.key()), ticket.id());
        deleteObjects(ticket.id());
    }

    /** Deletes every object of the upload but its lock (pieces, state, strays of writers that died). */
    void deleteObjects(String uploadId) {
        deletePieces(uploadId);
        deleteObject(store.layout().uploadState(uploadId)); // last: while it exists, the upload can be ended again
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
