package dev.filestaging.ports.out.blob;

import dev.filestaging.ports.out.StoreHealth;
import java.io.InputStream;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Bytes only: blobs written once, by one writer, in one or more sessions, then read by range and deleted. Which blob
 * belongs to which file or upload is the {@link dev.filestaging.ports.out.catalog.Catalog}'s business.
 *
 * <p>Contract, for every implementation (checked by {@code BlobStoreContractTest} in this module's test-jar):
 * <ul>
 *   <li>A blob is readable only once finished, and then reads exactly the bytes written, forever (until deleted).</li>
 *   <li>{@link #reopen} at a checkpoint from {@link BlobWriter#sync} continues the blob after exactly those bytes,
 *       also after a crash, in this process or another sharing the storage; bytes written after that checkpoint are
 *       gone.</li>
 *   <li>{@link #delete} removes a blob in any state, finished or not, with every part the store made of it; it is
 *       idempotent.</li>
 *   <li>{@link #enumerate} sees every blob that holds storage, so that a sweep can delete those no catalog knows.</li>
 *   <li>Failures of the storage are {@link dev.filestaging.ports.out.StorageException}s.</li>
 * </ul>
 */
public interface BlobStore {

    /** What a blob id looks like: made by the caller, random, at most 64 characters. */
    Pattern ID = Pattern.compile("[A-Za-z0-9_-]{16,64}");

    static String checkedId(String blobId) {
        if (blobId == null || !ID.matcher(blobId).matches()) {
            throw new IllegalArgumentException("a blob id is 16-64 characters of [A-Za-z0-9_-], got " + blobId);
        }
        return blobId;
    }

    /** What this store can do beyond the contract; by default nothing. */
    default BlobCapabilities capabilities() {
        return BlobCapabilities.NONE;
    }

    /** Whether the store can serve now; cheap, never throws. */
    default StoreHealth health() {
        return StoreHealth.SERVING;
    }

    /**
     * Starts a new blob under {@code blobId}, which must not exist, to be written in one go: its synced bytes need not
     * be readable by {@link #readDurable} before it is finished (a one-request upload, which a store may stream
     * straight into its final place).
     */
    BlobWriter create(String blobId);

    /**
     * Starts a new blob under {@code blobId}, which must not exist, whose synced bytes {@link #readDurable} can read
     * back before it is finished, from any instance: a resumable upload, which another instance may take over. By
     * default {@link #create}, for stores whose synced bytes are always readable.
     */
    default BlobWriter createResumable(String blobId) {
        return create(blobId);
    }

    /**
     * Reopens an unfinished blob to go on writing after {@code checkpoint}; bytes written after it are dropped. A blob
     * found finished (a commit that finished it, then crashed before its file was recorded; a recorded file's blob is
     * never reopened) is reopened too: the store either makes it unfinished again at the checkpoint, or checks that
     * what is written again is what it holds, failing the sync or finish that would acknowledge other bytes.
     *
     * @throws dev.filestaging.ports.out.StorageException the blob is not there (deleted, or never synced)
     */
    BlobWriter reopen(String blobId, BlobCheckpoint checkpoint);

    /**
     * {@code length} bytes of the finished blob from {@code first}, or empty when there is no such finished blob. The
     * stream yields exactly those bytes or fails with an {@link java.io.IOException}; the caller closes it.
     */
    Optional<InputStream> read(String blobId, long first, long length);

    /**
     * The durable bytes of an unfinished blob made by {@link #createResumable}, from the first to {@code checkpoint}'s
     * offset (a checkpoint of it, though not necessarily its last): for a process that takes
     * a resumable upload over and must see them again (to go on hashing them). The caller closes it.
     *
     * @throws dev.filestaging.ports.out.StorageException the blob is not there
     */
    InputStream readDurable(String blobId, BlobCheckpoint checkpoint);

    /** Removes the blob, finished or not, and every part of it. Idempotent. */
    void delete(String blobId);

    /** A blob that holds storage. */
    record BlobInfo(String blobId, long bytes, Instant lastModified) {}

    /** Hands every blob that holds storage to {@code each}, in no particular order. */
    void enumerate(Consumer<BlobInfo> each);

    /** Optional abilities, so that callers handle their absence in one place. */
    record BlobCapabilities(Optional<PresignedReads> presignedReads) {
        public static final BlobCapabilities NONE = new BlobCapabilities(Optional.empty());
    }

    /** URLs of the storage itself that read a finished blob without credentials (an S3 presigned GET). */
    interface PresignedReads {
        /** A URL reading the blob for {@code lifetime}, answered with {@code responseHeaders} where the store can. */
        java.net.URI urlFor(String blobId, java.time.Duration lifetime, java.util.Map<String, String> responseHeaders);
    }
}
