package dev.filestaging.domain.storage;

import dev.filestaging.ports.StoredFile;
import dev.filestaging.ports.out.StorageException;
import dev.filestaging.ports.out.UploadTicket;
import dev.filestaging.ports.out.blob.BlobCheckpoint;
import dev.filestaging.ports.out.blob.BlobStore;
import dev.filestaging.ports.out.blob.BlobWriter;
import dev.filestaging.ports.out.catalog.Catalog;
import dev.filestaging.ports.out.catalog.Lease;
import dev.filestaging.ports.out.catalog.UploadEntry;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * One writer's hold on an upload: bytes go to the upload's blob; a sync makes them durable in the blob store, then
 * records the checkpoint in the catalog under the writer's lease, so the catalog's offset never runs ahead of durable
 * bytes. The lease is renewed while bytes keep coming; a writer whose lease was taken over records nothing more.
 */
final class CatalogResumableFile implements ResumableFile {
    private final Catalog catalog;
    private final BlobStore blobs;
    private final Lease lease;
    private final String blobId;
    private final Clock clock;
    private final Duration leaseTime;
    private UploadTicket durable;
    private UploadTicket declared;
    private BlobCheckpoint checkpoint;
    private BlobWriter writer;
    private Instant renewed;
    private boolean over;

    CatalogResumableFile(Catalog catalog, BlobStore blobs, Lease lease, UploadEntry upload, Clock clock,
                         Duration leaseTime) {
        this.catalog = catalog;
        this.blobs = blobs;
        this.lease = lease;
        this.blobId = upload.blobId();
        this.clock = clock;
        this.leaseTime = leaseTime;
        this.durable = upload.ticket();
        this.declared = upload.ticket();
        this.checkpoint = upload.checkpoint();
        this.renewed = clock.instant();
    }

    @Override
    public UploadTicket ticket() {
        return declared;
    }

    @Override
    public long offset() {
        return checkpoint.offset();
    }

    @Override
    public void write(byte[] buffer, int offset, int length) {
        renewWhenDue();
        writer().write(buffer, offset, length);
    }

    @Override
    public long sync() {
        holdLease(); // before the blob makes anything durable: a writer taken over must not touch the new one's bytes
        BlobCheckpoint next = writer == null ? checkpoint : writer.sync();
        if (!catalog.advance(lease, next, declared.length(), declared.expires())) {
            throw takenOver();
        }
        checkpoint = next;
        durable = declared;
        renewed = clock.instant();
        return checkpoint.offset();
    }

    @Override
    public void rollback() {
        closeWriter(); // the blob keeps only what was synced; the next write reopens it there
        declared = durable;
    }

    @Override
    public InputStream readDurable() {
        return checkpoint.offset() == 0 ? new ByteArrayInputStream(new byte[0])
                : blobs.readDurable(blobId, checkpoint);
    }

    @Override
    public void declareLength(long length) {
        declared = declared.withLength(length);
    }

    @Override
    public void keepUntil(Instant expires) {
        declared = declared.withExpiry(expires);
    }

    @Override
    public CommitOutcome commit(StoredFile metadata) {
        holdLease();
        CommitOutcome outcome = new FileRecording(catalog, writer()).commit(metadata,
                file -> catalog.commitUpload(lease, file, Catalog.NO_LIMIT), this::takenOver);
        if (outcome instanceof CommitOutcome.Committed) {
            over = true;
        }
        return outcome;
    }

    @Override
    public void terminate() {
        closeWriter();
        if (catalog.terminate(lease).isEmpty()) {
            throw takenOver();
        }
        over = true;
        Blobs.deleteQuietly(blobs, blobId);
    }

    @Override
    public void close() {
        closeWriter();
        if (!over) {
            catalog.release(lease);
        }
    }

    private BlobWriter writer() {
        if (writer == null) {
            if (checkpoint.offset() == 0 && checkpoint.state().isEmpty()) {
                // never synced: whatever an earlier writer left of it was never acknowledged
                blobs.delete(blobId);
                writer = blobs.createResumable(blobId);
            } else {
                writer = blobs.reopen(blobId, checkpoint);
            }
        }
        return writer;
    }

    /**
     * Lets go of the blob, cutting what was written past the checkpoint first while the lease is still this writer's:
     * a refused or failed PATCH leaves no bytes behind.
     */
    private void closeWriter() {
        if (writer != null) {
            try {
                if (!over && writer.written() > checkpoint.offset() && catalog.renew(lease, leaseTime)) {
                    writer.discardUnsynced();
                }
            } catch (RuntimeException e) {
                // the catalog did not answer: the bytes stay unreadable past the checkpoint until the next reopen
            } finally {
                writer.close();
                writer = null;
            }
        }
    }

    /**
     * Keeps the lease while bytes keep coming, a third of its time before it would lapse; so after a stall as long as
     * the lease, the next write finds out whether another writer took the upload over before it writes anything.
     */
    private void renewWhenDue() {
        if (Duration.between(renewed, clock.instant()).compareTo(leaseTime.dividedBy(3)) >= 0) {
            holdLease();
        }
    }

    /**
     * Renews the lease now, or fails when another writer has taken the upload over. Blob stores do not fence writers
     * themselves: what keeps a writer that was cut off from syncing or finishing over its successor's bytes is this
     * check right before (the lease then holds for its whole time, longer than a sync takes).
     */
    private void holdLease() {
        Instant now = clock.instant();
        if (!catalog.renew(lease, leaseTime)) {
            throw takenOver();
        }
        renewed = now;
    }

    /**
     * Unavailable (503), not a failure (500): nothing is wrong with the storage, and a client asking again learns
     * where the upload stands from the writer that took it over.
     */
    private StorageException takenOver() {
        return new StorageException.StorageUnavailableException("upload " + lease.uploadId() + " was taken over by"
                + " another writer after this one's lease lapsed: ask for its offset and go on from there", null);
    }
}
