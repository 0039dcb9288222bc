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

    /** Reads the state of every open upload (of every area: upload keys do not name their area). */
    @Override
    public long heldBytes(dev.filestaging.ports.StagingArea area) {
        long held = 0;
        for (S3Object object : NameRecords.objectsUnder(bucket(), store.layout().uploads(), store.calls())) {
            if (object.key().endsWith("/state")) {
                Optional<UploadState> state = store.layout().uploadOf(object.key()).flatMap(this::readState);
                if (state.isPresent() && state.get().ticket().key().area().equals(area)) {
                    held += ResumableUploads.held(new UploadStatus(state.get().ticket(), state.get().offset()));
                }
            }
        }
        return held;
    }

    /** Ends every expired upload not being written now, on whichever instance began it. */
    @Override
    public List<UploadTicket> expire(Instant now) {
        List<UploadTicket> expired = new ArrayList<>();
        for (S3Object object : NameRecords.objectsUnder(bucket(), store.layout().uploads(), store.calls())) {
            if (!object.key().endsWith("/state")) {
                continue;
            }
            Optional<String> id = store.layout().uploadOf(object.key());
            Optional<UploadState> state = id.flatMap(this::readState);
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
        String lock = store.layout().uploadLock(uploadId);
        String state = store.layout().uploadState(uploadId);
        for (S3Object object : NameRecords.objectsUnder(bucket(), store.layout().upload(uploadId), store.calls())) {
            if (!object.key().equals(lock) && !object.key().equals(state)) {
                deleteObject(object.key());
            }
        }
        deleteObject(state); // last: while it exists, the upload can still be found and ended again
    }

    Optional<UploadState> readState(String uploadId) {
        ResponseBytes<GetObjectResponse> bytes;
        try {
            bytes = store.calls().getObjectAsBytes(b -> b.bucket(bucket()).key(store.layout().uploadState(uploadId)));
        } catch (SdkException e) {
            if (S3Errors.isNotFound(e)) {
                return Optional.empty();
            }
            throw S3Errors.translate("reading the upload " + uploadId, e);
        }
        try {
            return Optional.of(UploadState.decode(bytes.asByteArray(), store.layout()));
        } catch (IOException e) {
            throw new dev.filestaging.ports.out.StorageException("the state of upload " + uploadId + " is corrupt: "
                    + e.getMessage(), e);
        }
    }

    /** Replaces the upload's state in one PUT: readers see the old state or the new, never a mix. */
    void writeState(UploadState state) {
        try {
            store.calls().putObject(b -> b.bucket(bucket()).key(store.layout().uploadState(state.ticket().id()))
                    .contentType("text/plain; charset=utf-8"), RequestBody.fromBytes(state.encode(store.layout())));
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
