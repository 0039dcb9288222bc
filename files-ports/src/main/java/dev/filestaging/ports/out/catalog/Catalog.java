package dev.filestaging.ports.out.catalog;

import dev.filestaging.ports.FileKey;
import dev.filestaging.ports.NameGlob;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.events.Change;
import dev.filestaging.ports.out.StoreHealth;
import dev.filestaging.ports.out.UploadTicket;
import dev.filestaging.ports.out.blob.BlobCheckpoint;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The truth about names, files and uploads: which name holds which file version (and which blob has its bytes),
 * which uploads are open and how far each got, what every area uses, and the ordered log of what changed. Bytes are
 * not here: they are in a {@link dev.filestaging.ports.out.blob.BlobStore}.
 *
 * <p>Contract, for every implementation (checked by {@code CatalogContractTest} in this module's test-jar, on every
 * catalog):
 * <ul>
 *   <li><b>Atomic steps.</b> Each method that changes something is one atomic step: a name, the area's
 *       {@link AreaUsage} and its change-log entry change together or not at all, for every process sharing the
 *       catalog, also when the process dies in the middle (a catalog shared by several processes must be a
 *       database that says so).</li>
 *   <li><b>One name, one holder.</b> A name of an area is held by at most one committed file or one open upload.
 *       Of concurrent {@link #commit}s and {@link #reserve}s of one name exactly one succeeds.</li>
 *   <li><b>Cost bounded by the answer.</b> {@link #usage} is read in O(1); {@link #page} costs what the page holds
 *       (plus the names the glob skips), not the whole area; nothing reads every file or upload of an area.</li>
 *   <li><b>Read after write.</b> Once a method returns, every process reading the catalog sees its effect.</li>
 *   <li><b>Ordered log.</b> Every commit, delete and expiry appends one {@link Change} to its area's log in the
 *       same step; entries are numbered from 1 with no gap, in the order the steps took effect.</li>
 *   <li><b>One writer per upload.</b> An upload's {@link Lease} is held by one writer at a time; it lapses when not
 *       renewed within the time it was granted for, and only then can another writer take it; changes under a
 *       lapsed lease that another writer took over are refused.</li>
 *   <li>Names are compared as Java strings (UTF-16 code units); pages are ordered the same way. Areas never see
 *       each other's names. Failures of the catalog itself are {@link dev.filestaging.ports.out.StorageException}s;
 *       a missing file or upload is never an exception.</li>
 * </ul>
 */
public interface Catalog {

    /** A limit the caller does not want: {@code Long.MAX_VALUE}. */
    long NO_LIMIT = Long.MAX_VALUE;

    /** Whether the catalog can serve now; cheap, never throws. */
    default StoreHealth health() {
        return StoreHealth.SERVING;
    }

    // ---- files ----

    /** The file committed under {@code key}, or empty. */
    Optional<CatalogFile> find(FileKey key);

    /**
     * Up to {@code limit} committed files of {@code area} whose names sort after {@code after} (exclusive; null to
     * start at the first) and match {@code names}, ordered by name.
     */
    List<CatalogFile> page(StagingArea area, String after, int limit, NameGlob names);

    /** The area's usage, exact, in O(1); {@link AreaUsage#EMPTY} for an area never used. */
    AreaUsage usage(StagingArea area);

    /**
     * Commits a file (not from an upload) if its name is free, and counts its size in its area's usage.
     *
     * @param maxBytes the area's usage (used plus held) with the file must not pass this, or nothing changes and the
     *                 answer is {@link FileCommit.OverLimit}; {@link #NO_LIMIT} for none
     */
    FileCommit commit(CatalogFile file, long maxBytes);

    /**
     * Removes the file under {@code key}, if it is the version {@code version} when one is given; its bytes stay in
     * their blob, for the caller to delete. Of concurrent deletes exactly one gets the file.
     *
     * @return what was removed, with its change-log entry; empty when there was no such file (nothing changed)
     */
    Optional<Removed> delete(FileKey key, Optional<UUID> version);

    /** A file removed by {@link #delete}, and its change-log entry. */
    record Removed(CatalogFile file, Change change) {}

    /**
     * Up to {@code limit} entries of {@code area}'s change log numbered after {@code after}, in order, and the number
     * of the area's latest entry (0 when it has none). Entries trimmed by {@link #trimChanges} are not among them: a
     * reader tells a trimmed stretch by the first number it gets.
     */
    ChangeLog changes(StagingArea area, long after, int limit);

    /** A stretch of an area's change log. */
    record ChangeLog(List<Change> entries, long latest) {
        public ChangeLog {
            entries = List.copyOf(entries);
        }
    }

    /**
     * Every area of {@code organization} that has a change log, with the number of its latest entry; for the
     * deliveries of events to an organization's endpoints. At most {@link #MAX_LOOKUP} areas.
     */
    List<AreaLog> logs(dev.filestaging.ports.OrganizationId organization);

    /** An area and the number of its latest change-log entry. */
    record AreaLog(StagingArea area, long latest) {}

    /**
     * Removes change-log entries recorded before {@code before}, at most {@code limit} of them, oldest first: only
     * ever a prefix of an area's log, whose numbers are not reused.
     *
     * @return how many were removed
     */
    int trimChanges(Instant before, int limit);

    /**
     * Removes files whose {@link dev.filestaging.ports.StoredFile#expiresAt} is not after {@code now}, at most
     * {@code limit} of them, each in one atomic step with its {@link Change.Kind#EXPIRED} change-log entry, as
     * {@link #delete} does; found through an index on the expiry, not by reading the areas. Their blobs are the
     * caller's to delete.
     */
    List<Removed> expireFiles(Instant now, int limit);

    /**
     * Of {@code blobIds} (at most {@link #MAX_LOOKUP} of them), those a committed file or an open upload has: a sweep
     * deletes a blob only when it is not among them (and it is older than any commit in progress could be).
     */
    java.util.Set<String> referenced(java.util.Collection<String> blobIds);

    /** The most ids one {@link #referenced} look-up takes. */
    int MAX_LOOKUP = 1000;

    // ---- uploads ----

    /**
     * Records a new open upload at offset 0 and takes its name, if the name is free (no committed file, no other
     * open upload) and the limits allow it; counts what it holds in its area's usage.
     *
     * @param maxBytes       the area's usage (used plus held) with what the upload holds must not pass this
     * @param maxOpenUploads the area's open uploads with this one must not pass this
     */
    Reservation reserve(UploadTicket ticket, String blobId, BlobCheckpoint start, long maxBytes, long maxOpenUploads);

    /** The open upload with this id, or empty (never created, committed, terminated or expired). */
    Optional<UploadEntry> upload(String uploadId);

    /** Whether an open upload holds {@code key}. */
    boolean isReserved(FileKey key);

    /** How many uploads are open, in every area. */
    long openUploads();

    /**
     * Grants the upload's lease to the caller for {@code duration}, unless another writer holds one that has not
     * lapsed.
     */
    LeaseOutcome lease(String uploadId, Duration duration);

    /**
     * Extends a lease held by the caller to {@code duration} from now.
     *
     * @return false when the lease is no longer the upload's (it lapsed and another writer took it, or the upload
     *         is over)
     */
    boolean renew(Lease lease, Duration duration);

    /** Gives the lease up: another writer may take the upload at once. Never throws; a lost lease is ignored. */
    void release(Lease lease);

    /**
     * Records that the upload's blob is durable up to {@code checkpoint}, and its declared length if it declares one
     * now ({@code length} as in {@link UploadTicket#length}); adjusts what it holds in its area's usage; and moves
     * its expiry to {@code expires} (an upload is kept for a while after its last progress, not after its creation),
     * or keeps it when {@code expires} is null.
     *
     * @return false, and nothing changed, when the lease is no longer the upload's
     */
    boolean advance(Lease lease, BlobCheckpoint checkpoint, long length, Instant expires);

    /** {@link #advance(Lease, BlobCheckpoint, long, Instant)} keeping the upload's expiry. */
    default boolean advance(Lease lease, BlobCheckpoint checkpoint, long length) {
        return advance(lease, checkpoint, length, null);
    }

    /**
     * Ends the upload by committing {@code file}, whose blob holds its bytes, in one step: the name passes from the
     * upload to the file, its hold is released, its size counted, a change-log entry appended, and the upload is
     * remembered as staged (see {@link #staged}) until its ticket expires.
     *
     * @param maxBytes as for {@link #commit}, not counting what the upload itself held
     */
    FileCommit commitUpload(Lease lease, CatalogFile file, long maxBytes);

    /**
     * An upload that was committed, until its ticket's expiry: so that a client asking after the last byte learns
     * where its file is. Its ticket has the length it was committed at (a deferred length is declared by the commit).
     * Empty for open, terminated, expired and unknown uploads.
     */
    Optional<UploadTicket> staged(String uploadId);

    /**
     * Ends the upload without a file: frees its name and its hold. Its blob is the caller's to delete.
     *
     * @return the upload as it was, or empty when the lease is no longer the upload's (nothing changed)
     */
    Optional<UploadEntry> terminate(Lease lease);

    /**
     * Ends every open upload whose ticket expired before {@code now}, as {@link #terminate} does (whoever holds its
     * lease) and with a {@link Change.Kind#UPLOAD_EXPIRED} change-log entry in the same step, and forgets staged
     * uploads whose tickets expired; at most {@code limit} of each per call.
     *
     * @return the open uploads ended, whose blobs are the caller's to delete
     */
    List<UploadEntry> expire(Instant now, int limit);
}
