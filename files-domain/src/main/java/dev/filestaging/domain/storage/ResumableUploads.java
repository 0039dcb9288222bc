package dev.filestaging.domain.storage;

import dev.filestaging.ports.FileKey;
import dev.filestaging.ports.out.StorageException;
import dev.filestaging.ports.out.UploadTicket;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A store's uploads whose bytes and offset outlive the request that sent them, and the process
 * ({@link StagingStore#uploads}).
 *
 * <p>Contract, for every implementation (checked by the store's shared contract test):
 * <ul>
 *   <li>{@link #reserve} takes the upload's name at once: while the upload is open, another reservation of the key
 *       is refused and a {@link PendingFile} committed under it gets {@link CommitOutcome.AlreadyExists} (with no
 *       file: the name is reserved, not staged). The reservation ends when the upload commits, is terminated or
 *       expires.</li>
 *   <li>The offset {@link ResumableFile#sync} returns is durable: after a crash and restart, {@link #status} answers
 *       at least that offset and the bytes up to it are the ones written.</li>
 *   <li>One writer at a time: {@link #openForWriting} gives an upload to one caller until it closes it.</li>
 *   <li>Nothing of an open upload is visible to {@code find}, {@code list}, {@code open} or {@code usedBytes} of the
 *       store until it commits.</li>
 * </ul>
 */
public interface ResumableUploads {

    /**
     * Takes {@code ticket.key()} for a new upload and records the ticket durably.
     *
     * @return the ticket recorded, or empty when the name is taken (a committed file, or another open upload);
     *         nothing was recorded then
     * @throws StorageException the storage failed
     */
    Optional<UploadTicket> reserve(UploadTicket ticket);

    /**
     * Takes {@code ticket.key()} for a new upload, as {@link #reserve} does, if the area's limits allow it, checked
     * against every process sharing the storage in the same atomic step: what open uploads and files use with what
     * this one holds ({@link #held}) within {@code maxBytes}, and its open uploads with this one within
     * {@code maxOpenUploads}. By default {@link #reserve}, unchecked: a store whose one process counts exactly (the
     * caller's own figures do) need not check them again.
     */
    default Reservation reserveWithin(UploadTicket ticket, long maxBytes, long maxOpenUploads) {
        return reserve(ticket).<Reservation>map(Reservation.Reserved::new).orElseGet(Reservation.NameTaken::new);
    }

    /** What reserving a name for a new upload came to. */
    sealed interface Reservation {
        /** Recorded: the ticket as recorded. */
        record Reserved(UploadTicket ticket) implements Reservation {}

        /** A committed file or another open upload holds the name; nothing was recorded. */
        record NameTaken() implements Reservation {}

        /** The area's quota would be passed; nothing was recorded. */
        record OverQuota() implements Reservation {}

        /** The area has as many open uploads as allowed; nothing was recorded. */
        record TooManyOpen() implements Reservation {}
    }

    /** The ticket and durable offset of an open upload; empty when there is none (committed, terminated, expired). */
    Optional<UploadStatus> status(String uploadId);

    /**
     * The open upload, for writing; the caller must close it.
     *
     * @return {@link Opened.Busy} while another caller writes it
     */
    Opened openForWriting(String uploadId);

    /**
     * An upload that was committed, until its ticket's expiry: so that a client asking after the last byte learns
     * where its file is, from any process sharing the storage and after a restart. Empty for open, terminated,
     * expired and unknown uploads. Kept on a best-effort basis: a crash right after the commit may lose it.
     */
    Optional<UploadTicket> staged(String uploadId);

    /** Whether an open upload holds {@code key}. */
    boolean isReserved(FileKey key);

    /**
     * The space the open uploads of {@code area} hold against its quota: each one's declared length, or the bytes it
     * holds so far while its length is deferred. Like {@code usedBytes}, it may be read from storage shared with
     * other processes, so it counts their uploads too.
     */
    long heldBytes(dev.filestaging.ports.StagingArea area);

    /**
     * How many uploads are open (reserved, and neither committed, terminated nor expired), in every area; like
     * {@link #heldBytes}, counted in storage shared with other processes, so their uploads count too.
     *
     * @throws StorageException the storage failed
     */
    long openCount();

    /**
     * How many uploads of {@code area} are open; like {@link #heldBytes}, counted in storage shared with other
     * processes.
     *
     * @throws StorageException the storage failed
     */
    long openCount(dev.filestaging.ports.StagingArea area);

    /**
     * Discards every open upload whose ticket expired before {@code now}, bytes, record and reservation, and returns
     * them; forgets the committed uploads whose tickets expired too (not returned: they hold nothing).
     */
    List<UploadTicket> expire(Instant now);

    /** An upload's ticket and how many of its bytes are durable. */
    record UploadStatus(UploadTicket ticket, long offset) {}

    /** What opening an upload for writing came to. */
    sealed interface Opened {
        record Writing(ResumableFile file) implements Opened {}

        record Busy() implements Opened {}

        record Gone() implements Opened {}
    }
}
