package dev.filestaging.domain.storage;

import dev.filestaging.ports.ByteRange;
import dev.filestaging.ports.FileKey;
import dev.filestaging.ports.NameGlob;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.StoredContent;
import dev.filestaging.ports.StoredFile;
import dev.filestaging.ports.out.StorageException;
import dev.filestaging.ports.out.StoreHealth;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Storage of staged files: content and metadata, committed together and atomically.
 *
 * <p>Contract, for every implementation (checked by the shared contract test in this module's test-jar):
 * <ul>
 *   <li>Nothing written through a {@link PendingFile} is visible to {@link #find}, {@link #list}, {@link #open} or
 *       {@link #usedBytes} until {@link PendingFile#commit} returns {@link CommitOutcome.Committed}; after that, every
 *       call sees it (read-after-write), also after a restart of the process.</li>
 *   <li>Commit is create-if-absent: of concurrent commits of one key exactly one succeeds, the others get
 *       {@link CommitOutcome.AlreadyExists} and the stored file is the winner's, byte for byte.</li>
 *   <li>A pending file that is closed without a successful commit, or whose process dies, leaves nothing behind
 *       that a caller can see, and no storage is held once it is closed (or once the store restarts).</li>
 *   <li>Names are opaque: an implementation never interprets them as paths. Areas never see each other's files.</li>
 *   <li>Failures of the storage itself are {@link StorageException}s; a missing file is never an exception.</li>
 * </ul>
 */
public interface StagingStore {

    /**
     * Whether the store can serve now: cheap enough for a load balancer's probe every few seconds (the caller caches
     * it anyway), and never throws: a failing storage is a {@link StoreHealth#failing} answer. By default it serves.
     */
    default StoreHealth health() {
        return StoreHealth.SERVING;
    }

    /**
     * The store's own sweeps of leftovers (orphaned content, abandoned multipart uploads), counted since it was
     * opened, one tally per sweep it runs, in a fixed order and with the same names for its whole life. By default
     * none: a store that cleans up only as it goes has nothing to report.
     */
    default java.util.List<SweepTally> sweeps() {
        return java.util.List.of();
    }

    /**
     * The store's resumable uploads: every store keeps them, with the same names, quota and durability as its files
     * (an upload's name is taken from its creation on, and its bytes outlive the request and the process).
     */
    ResumableUploads uploads();

    /**
     * URLs of the storage itself that readers can fetch a file's bytes from, bypassing this service; empty when the
     * storage has none (local disk), or is not told to hand them out. By default empty.
     */
    default Optional<DirectReads> directReads() {
        return Optional.empty();
    }

    /**
     * Starts writing a file under {@code key}. Does not check whether the key is taken: that is decided at commit.
     *
     * @throws StorageException the storage cannot accept a new file now
     */
    PendingFile create(FileKey key);

    /** The committed file under {@code key}, or empty. */
    Optional<StoredFile> find(FileKey key);

    /** Every committed file of {@code area}, ordered by name (by UTF-16 code units, as {@link String#compareTo}). */
    List<StoredFile> list(StagingArea area);

    /**
     * Up to {@code limit} committed files of {@code area} whose names sort after {@code after} (exclusive; null to
     * start at the first) and match {@code names}, in the order of {@link #list}. This default filters {@link #list};
     * a store with an ordered index answers without copying the whole area.
     */
    default List<StoredFile> listPage(StagingArea area, String after, int limit, NameGlob names) {
        return list(area).stream()
                .filter(file -> after == null || file.name().compareTo(after) > 0)
                .filter(file -> names.matches(file.name()))
                .limit(limit)
                .toList();
    }

    /** The sum of the sizes of the committed files of {@code area}. */
    long usedBytes(StagingArea area);

    /**
     * Opens the committed file under {@code key} for reading {@code range} of it, or empty when there is none. The
     * metadata and the bytes returned are of one version, also while the name is deleted and uploaded again: the
     * content then either reads to its end with that version's bytes or fails with an {@link java.io.IOException},
     * never yields another version's bytes. An {@link dev.filestaging.ports.ContentSlice.Unsatisfiable} range reads
     * nothing from storage.
     */
    Optional<StoredContent> open(FileKey key, ByteRange range);

    /**
     * Removes the committed file under {@code key}. When this returns, the name is free and the file is gone for every
     * caller. Returns the file that was removed, or empty when there was none.
     */
    Optional<StoredFile> delete(FileKey key);

    /**
     * Removes the committed file under {@code key} only if it is the version {@code id} (its {@link StoredFile#id}),
     * atomically: a file replaced by a new upload of the same name is never removed by a delete meant for the old one.
     * Of concurrent deletes exactly one gets the file. Returns the file that was removed, or empty when there was no
     * file or another version (and then nothing changed).
     */
    Optional<StoredFile> delete(FileKey key, UUID id);
}
