package dev.filestaging.ports.out.catalog;

import dev.filestaging.ports.out.UploadTicket;
import dev.filestaging.ports.out.blob.BlobCheckpoint;
import java.util.Objects;

/**
 * An open upload as the catalog records it.
 *
 * @param ticket     where it will be staged, its declared length (or deferred), the client's metadata, its expiry
 * @param blobId     the blob its bytes are appended to
 * @param checkpoint the blob's last durable state, as {@link dev.filestaging.ports.out.blob.BlobWriter#sync} gave it:
 *                   the durable offset and what the blob store needs to reopen the blob there
 */
public record UploadEntry(UploadTicket ticket, String blobId, BlobCheckpoint checkpoint) {
    public UploadEntry {
        Objects.requireNonNull(ticket, "ticket");
        dev.filestaging.ports.out.blob.BlobStore.checkedId(blobId);
        Objects.requireNonNull(checkpoint, "checkpoint");
    }

    public String id() {
        return ticket.id();
    }

    /** Bytes durable so far. */
    public long offset() {
        return checkpoint.offset();
    }

    /** What its area's change log records of it when it ends by its expiry. */
    public dev.filestaging.ports.events.Change.ExpiredUpload expired() {
        return new dev.filestaging.ports.events.Change.ExpiredUpload(id(), ticket.key(), offset(), ticket.length(),
                ticket.uploadedBy(), ticket.created());
    }

    /** What it holds against its area's quota. */
    public long held() {
        return ticket.heldAt(offset());
    }
}
