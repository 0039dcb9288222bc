package dev.filestaging.adapter.s3.blob;

import dev.filestaging.adapter.s3.client.ChecksumMode;
import dev.filestaging.adapter.s3.client.S3Clients;
import dev.filestaging.adapter.s3.client.S3Errors;
import dev.filestaging.adapter.s3.client.S3Settings;
import dev.filestaging.ports.out.StorageException;
import dev.filestaging.ports.out.StoreHealth;
import dev.filestaging.ports.out.blob.BlobCheckpoint;
import dev.filestaging.ports.out.blob.BlobStore;
import dev.filestaging.ports.out.blob.BlobWriter;
import java.nio.ByteBuffer;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Blobs in an S3 bucket, under {@code {prefix}blobs/} (see {@link BucketLayout}): a finished blob is one object, an
 * unfinished one the multipart upload of that object plus, while its synced bytes after the last part are fewer than
 * a part's minimum, a small tail object under {@code {prefix}blob-tails/{id}/} (see {@link S3BlobWriter}). A
 * checkpoint's state names the upload, its parts and the tail ({@link BlobProgress}), so any instance sharing the
 * bucket reopens a blob from the checkpoint alone and a listing of the upload's parts.
 *
 * <p>A blob made by {@link #createResumable} also keeps each of its parts as a readable <em>piece</em> object under
 * {@code {prefix}blob-tails/{id}/pieces/}, named after its part number, until it is finished or deleted: that is what
 * {@link #readDurable} reads (the parts of an unfinished multipart upload cannot be read), from the checkpoint and a
 * listing alone.
 *
 * <p>{@link #read} reads only the object, which exists only once its multipart upload is complete (or its single
 * {@code PutObject} done): an unfinished blob is never read that way. Nothing of the staging store's layout is
 * touched, and its sweeps do not look under {@code blobs/}: blobs no catalog knows are for a sweep driven by
 * {@link #enumerate}.
 */
public final class S3BlobStore implements BlobStore, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(S3BlobStore.class.getName());
    private static final Duration HEALTH_CALL_TIMEOUT = Duration.ofSeconds(3);

    private final S3Settings settings;
    private final S3Clients clients;
    private final BucketLayout layout;
    private final BlobCapabilities capabilities;
    /**
     * Writers open at once: each holds part buffers (about three parts), so without a bound many large uploads at once
     * exhaust the heap ({@link S3Settings#uploadSlots}: {@code FILES_S3_MAX_CONCURRENT_UPLOADS}, or half the heap).
     */
    private final UploadSlots slots;

    S3BlobStore(S3Settings settings, S3Clients clients) {
        this.settings = settings;
        this.clients = clients;
        this.slots = new UploadSlots(settings.uploadSlots(Runtime.getRuntime().maxMemory()),
                settings.requestTimeout().multipliedBy(3));
        this.layout = new BucketLayout(settings.prefix());
        // presigned reads only when downloads are to be redirected to the bucket (FILES_S3_DOWNLOAD=redirect)
        this.capabilities = settings.redirectDownloads()
                ? new BlobCapabilities(Optional.of(new PresignedBlobReads(clients.presigner(), settings.bucket(), layout)))
                : BlobCapabilities.NONE;
    }

    /**
     * Connects and checks that the bucket exists and takes writes; falls back to checksums only where required when
     * the store refuses the SDK's optional ones (as Ceph RGW 16 does) and the settings allow it.
     *
     * @throws StorageException the bucket cannot be used; the message says why
     */
    public static S3BlobStore open(S3Settings settings) {
        S3BlobStore store = new S3BlobStore(settings, S3Clients.create(settings));
        try {
            store.check();
            return store;
        } catch (ChecksumsRefused refused) {
            store.close();
            if (settings.checksums() != ChecksumMode.AUTO) {
                throw refused;
            }
            LOG.log(Level.INFO, "the store refuses the AWS SDK's optional checksums; sending them only where required");
            return open(settings.withChecksums(ChecksumMode.WHEN_REQUIRED));
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    private void check() {
        String where = "bucket '" + bucket() + "'" + settings.endpointIfSet().map(e -> " at " + e).orElse("");
        try {
            clients.calls().headBucket(b -> b.bucket(bucket()));
        } catch (SdkException e) {
            if (S3Errors.isNotFound(e)) {
                throw new StorageException(where + " does not exist; create it first", e);
            }
            throw S3Errors.translate("checking " + where, e);
        }
        String probe = layout.probe();
        try {
            put(probe, new byte[0], 0); // empty, as an empty blob or tail is written
        } catch (StorageException e) {
            if (e.getCause() != null && S3Errors.isChecksumRefused(e.getCause())) {
                throw new ChecksumsRefused("writing to " + where + " failed: the store refuses the AWS"
                        + " SDK's streaming checksums (S3 answered XAmzContentSHA256Mismatch); set the checksum mode"
                        + " (FILES_S3_CHECKSUMS) to when_required or auto");
            }
            throw e;
        }
        deleteQuietly(probe);
    }

    @Override
    public BlobCapabilities capabilities() {
        return capabilities;
    }

    @Override
    public StoreHealth health() {
        try {
            clients.calls().headBucket(b -> b.bucket(bucket())
                    .overrideConfiguration(o -> o.apiCallTimeout(HEALTH_CALL_TIMEOUT)));
            return new StoreHealth(true, "bucket " + bucket() + " answers");
        } catch (RuntimeException e) {
            return StoreHealth.failing(S3Errors.translate("reaching bucket " + bucket(), e).getMessage());
        }
    }

    /**
     * Makes a finished blob of a copy of {@code sourceKey}, an object of this bucket holding {@code size} bytes,
     * made inside the store ({@link ServerSideCopy}: {@code CopyObject}, or {@code UploadPartCopy} parts above
     * 5 GiB). For {@code catalog migrate}, whose legacy content objects are in the bucket already: no byte passes
     * through the process and the source is left as it was. Copying again overwrites the blob with the same bytes,
     * so a migration re-run after a crash converges.
     *
     * @throws StorageException the copy failed, or the source does not hold {@code size} bytes
     */
    public void copyIn(String sourceKey, long size, String blobId) {
        copyIn(sourceKey, size, blobId, ServerSideCopy.MAX_SINGLE_COPY, ServerSideCopy.COPY_PART_BYTES);
    }

    /** The same, copying in parts of {@code partBytes} above {@code maxSingleCopy}: for tests of the part copy. */
    void copyIn(String sourceKey, long size, String blobId, long maxSingleCopy, long partBytes) {
        new ServerSideCopy(clients.calls(), bucket()).copy(sourceKey, size, layout.blob(BlobStore.checkedId(blobId)),
                maxSingleCopy, partBytes);
    }

    @Override
    public BlobWriter create(String blobId) {
        String id = BlobStore.checkedId(blobId);
        return holdingSlot(() -> S3BlobWriter.created(this, id));
    }

    /** Every full buffer goes to a piece that is kept until the blob is finished: see {@link S3BlobWriter}. */
    @Override
    public BlobWriter createResumable(String blobId) {
        String id = BlobStore.checkedId(blobId);
        return holdingSlot(() -> S3BlobWriter.createdResumable(this, id));
    }

    /**
     * The kept pieces named after parts 1 to the checkpoint's part count, in order, then its tail: found by one
     * listing of the blob's tails, checked against the checkpoint (one piece per part, their sizes adding up to its
     * part bytes, the tail holding the rest), then read one after the other as the stream is read. When they are not
     * there, a finished object means a finish got through (perhaps just before a crash): its first bytes are read.
     */
    @Override
    public InputStream readDurable(String blobId, BlobCheckpoint checkpoint) {
        BlobProgress progress = BlobProgress.of(BlobStore.checkedId(blobId), checkpoint);
        List<S3Object> sources = new ArrayList<>();
        String missing = durableSources(blobId, checkpoint, progress, sources);
        if (missing == null) {
            return new DurableStream(this, sources);
        }
        String key = layout.blob(blobId);
        Optional<HeadObjectResponse> whole = head(key);
        if (whole.isPresent() && whole.get().contentLength() >= checkpoint.offset()) {
            if (checkpoint.offset() == 0) {
                return InputStream.nullInputStream();
            }
            return new DurableStream(this, List.of(S3Object.builder().key(key).size(checkpoint.offset()).build()));
        }
        throw new StorageException("cannot read the durable bytes of the blob " + blobId + " up to "
                + checkpoint.offset() + ": " + missing);
    }

    /**
     * The kept pieces of parts 1 to {@code parts} of a resumable blob, in order, checked to hold {@code bytes} bytes.
     *
     * @throws StorageException they are not all there
     */
    List<S3Object> keptPieces(String blobId, int parts, long bytes) {
        List<S3Object> pieces = new ArrayList<>();
        String missing = durableSources(blobId, new BlobCheckpoint(bytes, ""),
                new BlobProgress(true, "-", parts, bytes, null), pieces);
        if (missing != null) {
            throw new StorageException("cannot copy the kept pieces of the blob " + blobId + ": " + missing);
        }
        return pieces;
    }

    /** Adds the objects holding the checkpoint's bytes to {@code sources}; or says what is missing. */
    private String durableSources(String blobId, BlobCheckpoint checkpoint, BlobProgress progress,
                                  List<S3Object> sources) {
        if (progress.parts() > 0 && !progress.resumable()) {
            return "it was not made by createResumable, and its parts cannot be read before it is finished";
        }
        S3Object[] pieces = new S3Object[progress.parts()];
        S3Object tail = null;
        String tailKey = progress.tail() == null ? null : layout.blobTails(blobId) + progress.tail();
        try {
            for (S3Object object : clients.calls().listObjectsV2Paginator(b -> b.bucket(bucket())
                    .prefix(layout.blobTails(blobId))).contents()) {
                int number = layout.pieceNumberOf(blobId, object.key());
                if (number >= 1 && number <= pieces.length) {
                    if (pieces[number - 1] != null) {
                        return "two pieces for part " + number + ": " + pieces[number - 1].key() + " and "
                                + object.key();
                    }
                    pieces[number - 1] = object;
                } else if (object.key().equals(tailKey)) {
                    tail = object;
                }
            }
        } catch (SdkException e) {
            throw S3Errors.translate("listing the pieces of the blob " + blobId, e);
        }
        long pieceBytes = 0;
        for (int i = 0; i < pieces.length; i++) {
            if (pieces[i] == null) {
                return "no piece for part " + (i + 1);
            }
            pieceBytes += pieces[i].size();
            sources.add(pieces[i]);
        }
        if (pieceBytes != progress.partBytes()) {
            return "its pieces hold " + pieceBytes + " bytes, not " + progress.partBytes();
        }
        if (tailKey != null) {
            if (tail == null) {
                return "its tail " + tailKey + " is not there";
            }
            if (tail.size() != checkpoint.offset() - progress.partBytes()) {
                return "its tail " + tailKey + " holds " + tail.size() + " bytes, not "
                        + (checkpoint.offset() - progress.partBytes());
            }
            sources.add(tail);
        }
        return null;
    }

    /**
     * Waits for a writer slot (up to three request timeouts), then opens the writer; the slot goes back when it is
     * closed.
     *
     * @throws StorageException.StorageUnavailableException every slot stayed busy
     */
    private BlobWriter holdingSlot(java.util.function.Supplier<BlobWriter> open) {
        slots.take();
        try {
            return new SlotHoldingWriter(open.get(), slots::release);
        } catch (RuntimeException e) {
            slots.release();
            throw e;
        }
    }

    /** How many writers may be open at once. */
    public int writerSlots() {
        return slots.count();
    }

    @Override
    public BlobWriter reopen(String blobId, BlobCheckpoint checkpoint) {
        return holdingSlot(() -> reopenWriter(blobId, checkpoint));
    }

    private BlobWriter reopenWriter(String blobId, BlobCheckpoint checkpoint) {
        String key = layout.blob(BlobStore.checkedId(blobId));
        Optional<HeadObjectResponse> whole = head(key);
        if (whole.isPresent()) {
            return S3BlobWriter.finishedAlready(this, blobId, checkpoint, whole.get().contentLength());
        }
        BlobProgress progress = BlobProgress.of(blobId, checkpoint);
        List<Part> listed;
        try {
            listed = progress.uploadId() == null ? List.of() : listParts(key, progress.uploadId());
        } catch (SdkException e) {
            throw S3Errors.translate("listing the parts of " + key, e);
        }
        List<Part> parts = parts(key, listed, progress.parts(), progress.partBytes());
        if (progress.resumable()) {
            dropPiecesBeyond(blobId, progress.parts());
        }
        byte[] tail = new byte[0];
        if (progress.tail() != null) {
            String tailKey = layout.blobTails(blobId) + progress.tail();
            try (InputStream in = clients.calls().getObject(b -> b.bucket(bucket()).key(tailKey))) {
                tail = in.readAllBytes();
            } catch (SdkException e) {
                throw S3Errors.translate("reading the tail " + tailKey + " of the blob " + blobId, e);
            } catch (IOException e) {
                throw new StorageException.StorageUnavailableException("reading the tail " + tailKey + " failed", e);
            }
            if (tail.length != checkpoint.offset() - progress.partBytes()) {
                throw new StorageException("the tail " + tailKey + " holds " + tail.length + " bytes, not "
                        + (checkpoint.offset() - progress.partBytes()));
            }
        }
        int partsListed = listed.stream().mapToInt(Part::partNumber).max().orElse(0);
        return S3BlobWriter.reopened(this, blobId, checkpoint, progress, parts, partsListed, tail);
    }

    @Override
    public Optional<InputStream> read(String blobId, long first, long length) {
        String key = layout.blob(BlobStore.checkedId(blobId));
        if (first < 0 || length < 0) {
            throw new IllegalArgumentException("no range of " + length + " bytes from " + first);
        }
        if (length == 0) {
            // S3 has no empty range: the object's size says whether the place is inside it
            return head(key).map(head -> {
                requireInside(blobId, head.contentLength(), first, 0);
                return InputStream.nullInputStream();
            });
        }
        ResponseInputStream<GetObjectResponse> stream;
        // from the first byte, the whole object is asked for: a read of a whole file (most reads) then carries no
        // Range, which S3 servers answer faster (S3Proxy: about 1.4x the throughput); a shorter read takes its bytes
        // and drops the connection's rest when closed
        String range = first == 0 ? null : "bytes=" + first + "-" + (first + length - 1);
        try {
            stream = clients.calls().getObject(b -> b.bucket(bucket()).key(key).range(range));
        } catch (SdkException e) {
            if (S3Errors.isNotFound(e)) {
                return Optional.empty();
            }
            if (e instanceof software.amazon.awssdk.services.s3.model.S3Exception s3 && s3.statusCode() == 416) {
                throw new IllegalArgumentException("the blob " + blobId + " has no byte " + first, e);
            }
            throw S3Errors.translate("reading the blob " + blobId, e);
        }
        Long answered = stream.response().contentLength();
        if (answered == null || answered < length || (range != null && answered != length)) {
            stream.abort();
            throw new IllegalArgumentException("the blob " + blobId + " has " + answered + " bytes from " + first
                    + ", not " + length);
        }
        return Optional.of(answered == length ? stream : new FirstBytes(stream, length));
    }

    private static void requireInside(String blobId, long size, long first, long length) {
        if (first > size - length) {
            throw new IllegalArgumentException("the blob " + blobId + " has " + size + " bytes, not " + length
                    + " from " + first);
        }
    }

    /** Aborts its multipart upload, deletes its tails and then its object. */
    @Override
    public void delete(String blobId) {
        String key = layout.blob(BlobStore.checkedId(blobId));
        try {
            for (String under : List.of(key, layout.blobTails(blobId))) {
                for (MultipartUpload upload : clients.calls().listMultipartUploadsPaginator(
                        b -> b.bucket(bucket()).prefix(under)).uploads()) {
                    if (upload.key().equals(key) || upload.key().startsWith(layout.blobTails(blobId))) {
                        abort(upload.key(), upload.uploadId());
                    }
                }
            }
            deleteTailsOrFail(blobId);
            clients.calls().deleteObject(b -> b.bucket(bucket()).key(key));
        } catch (SdkException e) {
            throw S3Errors.translate("deleting the blob " + blobId, e);
        }
    }

    /**
     * Aborts every multipart upload of {@code key} but {@code keep} (null: all): after a finish, those a crashed
     * session left. A failure is logged; deleting the blob aborts them.
     */
    void abortOtherUploads(String key, String keep) {
        try {
            for (MultipartUpload upload : clients.calls().listMultipartUploadsPaginator(
                    b -> b.bucket(bucket()).prefix(key)).uploads()) {
                if (upload.key().equals(key) && !upload.uploadId().equals(keep)) {
                    abort(key, upload.uploadId());
                }
            }
        } catch (SdkException e) {
            LOG.log(Level.FINE, "could not abort the other uploads of " + key + "; deleting the blob does", e);
        }
    }

    /** Aborts a multipart upload nothing will complete; a failure leaves it for {@link #delete}. */
    void abortQuietly(String key, String uploadId) {
        try {
            abort(key, uploadId);
        } catch (SdkException e) {
            LOG.log(Level.FINE, "could not abort the upload of " + key + "; deleting the blob does", e);
        }
    }

    private void abort(String key, String uploadId) {
        try {
            clients.calls().abortMultipartUpload(b -> b.bucket(bucket()).key(key).uploadId(uploadId));
        } catch (SdkException e) {
            if (!S3Errors.isNotFound(e)) {
                throw e;
            }
        }
    }

    /**
     * Finished blobs count their object's size; unfinished ones every byte they hold: the parts of their multipart
     * upload and of their pieces', and their tails.
     */
    @Override
    public void enumerate(Consumer<BlobInfo> each) {
        Map<String, BlobInfo> finished = new HashMap<>();
        Map<String, BlobInfo> unfinished = new HashMap<>();
        try {
            for (S3Object object : clients.calls().listObjectsV2Paginator(b -> b.bucket(bucket())
                    .prefix(layout.blobs())).contents()) {
                layout.blobOf(object.key()).filter(id -> object.key().equals(layout.blob(id))).ifPresent(id ->
                        finished.put(id, new BlobInfo(id, object.size(), object.lastModified())));
            }
            for (String under : List.of(layout.blobs(), layout.blobTails())) {
                for (MultipartUpload upload : clients.calls().listMultipartUploadsPaginator(b -> b.bucket(bucket())
                        .prefix(under)).uploads()) {
                    Optional<String> id = layout.blobOf(upload.key());
                    if (id.isPresent() && !finished.containsKey(id.get())) {
                        long bytes = listParts(upload.key(), upload.uploadId()).stream().mapToLong(Part::size).sum();
                        add(unfinished, new BlobInfo(id.get(), bytes, upload.initiated()));
                    }
                }
            }
            for (S3Object object : clients.calls().listObjectsV2Paginator(b -> b.bucket(bucket())
                    .prefix(layout.blobTails())).contents()) {
                layout.blobOf(object.key()).filter(id -> !finished.containsKey(id)).ifPresent(id ->
                        add(unfinished, new BlobInfo(id, object.size(), object.lastModified())));
            }
        } catch (SdkException e) {
            throw S3Errors.translate("listing the blobs", e);
        }
        finished.values().forEach(each);
        unfinished.values().forEach(each);
    }

    private static void add(Map<String, BlobInfo> listed, BlobInfo more) {
        listed.merge(more.blobId(), more, (a, b) -> new BlobInfo(a.blobId(), a.bytes() + b.bytes(),
                a.lastModified().isAfter(b.lastModified()) ? a.lastModified() : b.lastModified()));
    }

    @Override
    public void close() {
        clients.close();
    }

    // --- for the writer

    BucketLayout layout() {
        return layout;
    }

    S3Client calls() {
        return clients.calls();
    }

    String bucket() {
        return settings.bucket();
    }

    long partSizeBytes() {
        return settings.partSizeBytes();
    }

    /** S3 copies at most 5 GiB as one part: a piece is kept below (see {@link S3BlobWriter}). */
    static final long MAX_PIECE_BYTES = 5L * 1024 * 1024 * 1024;
    private volatile long maxPieceBytes = MAX_PIECE_BYTES;

    long maxPieceBytes() {
        return maxPieceBytes;
    }

    /** For tests: pieces of a few parts, so that rolling to the next piece is seen without writing gigabytes. */
    void maxPieceBytes(long bytes) {
        this.maxPieceBytes = bytes;
    }

    /**
     * Stores {@code length} bytes of {@code bytes} as the object {@code key}, whole. Through the asynchronous client,
     * as the asynchronous client sends small content: Ceph RGW 16 refuses the synchronous client's signing of an empty
     * body over plain HTTP (400 XAmzContentSHA256Mismatch, whatever the checksum mode).
     */
    void put(String key, byte[] bytes, int length) {
        try {
            await(clients.uploads().putObject(b -> b.bucket(bucket()).key(key).contentType("application/octet-stream")
                            .contentLength((long) length),
                    AsyncRequestBody.fromByteBufferUnsafe(ByteBuffer.wrap(bytes, 0, length))), "storing " + key);
        } catch (SdkException e) {
            throw S3Errors.translate("storing " + key, e);
        }
    }

    /**
     * Waits for a call of the asynchronous client, at most the stall timeout, and
     * translates its failure.
     */
    <T> T await(CompletableFuture<T> call, String action) {
        Duration timeout = settings.contentStallTimeout();
        try {
            return call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            throw new StorageException.StorageUnavailableException(action + ": the store did not answer within "
                    + timeout.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            call.cancel(true);
            throw new StorageException.StorageUnavailableException(action + " was interrupted", e);
        } catch (ExecutionException | CancellationException e) {
            throw S3Errors.translate(action, e);
        }
    }

    S3AsyncClient uploads() {
        return clients.uploads();
    }

    /**
     * Parts 1 to {@code count} of the upload, in order, checked to hold {@code bytes} bytes in all: parts that are
     * missing or of other sizes mean the checkpoint is not this upload's (or another writer changed it).
     */
    private static List<Part> parts(String key, List<Part> listed, int count, long bytes) {
        List<Part> parts = listed.stream().filter(part -> part.partNumber() <= count)
                .sorted(Comparator.comparing(Part::partNumber)).toList();
        long held = parts.stream().mapToLong(Part::size).sum();
        if (parts.size() != count || held != bytes) {
            throw new StorageException("the multipart upload of " + key + " holds " + parts.size() + " parts of "
                    + held + " bytes where its checkpoint has " + count + " of " + bytes);
        }
        return parts;
    }

    private List<Part> listParts(String key, String uploadId) {
        List<Part> parts = new ArrayList<>();
        clients.calls().listPartsPaginator(b -> b.bucket(bucket()).key(key).uploadId(uploadId)).parts()
                .forEach(parts::add);
        return parts;
    }

    /**
     * Deletes a resumable blob's pieces named after parts beyond {@code parts}, and aborts its pieces' unfinished
     * uploads: what a session after the checkpoint reopened at wrote (a crash after a sync the catalog never
     * recorded). Done before the reopened writer makes pieces of its own, so that stale pieces never mix with them.
     *
     * @throws StorageException they could not all be removed: reopening again tries again
     */
    private void dropPiecesBeyond(String blobId, int parts) {
        String pieces = layout.blobPieces(blobId);
        try {
            for (MultipartUpload upload : clients.calls().listMultipartUploadsPaginator(
                    b -> b.bucket(bucket()).prefix(pieces)).uploads()) {
                if (upload.key().startsWith(pieces)) {
                    abort(upload.key(), upload.uploadId());
                }
            }
            for (S3Object piece : clients.calls().listObjectsV2Paginator(b -> b.bucket(bucket()).prefix(pieces))
                    .contents()) {
                if (layout.pieceNumberOf(blobId, piece.key()) > parts) {
                    clients.calls().deleteObject(b -> b.bucket(bucket()).key(piece.key()));
                }
            }
        } catch (SdkException e) {
            throw S3Errors.translate("removing the stale pieces of the blob " + blobId, e);
        }
    }

    /** Removes every tail of a blob; a failure leaves them for {@link #delete}, and is logged. */
    void deleteTails(String blobId) {
        try {
            deleteTailsOrFail(blobId);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not remove the tails of the finished blob {0}; deleting the blob does: {1}",
                    new Object[] {blobId, S3Errors.translate("removing tails", e).getMessage()});
        }
    }

    private void deleteTailsOrFail(String blobId) {
        for (S3Object tail : clients.calls().listObjectsV2Paginator(b -> b.bucket(bucket())
                .prefix(layout.blobTails(blobId))).contents()) {
            clients.calls().deleteObject(b -> b.bucket(bucket()).key(tail.key()));
        }
    }

    /** Deletes one object; a failure leaves it for {@link #delete} or a finish. */
    void deleteQuietly(String key) {
        try {
            clients.calls().deleteObject(b -> b.bucket(bucket()).key(key));
        } catch (SdkException e) {
            LOG.log(Level.FINE, "could not delete " + key + "; the blob's finish or delete does", e);
        }
    }

    private Optional<HeadObjectResponse> head(String key) {
        try {
            return Optional.of(clients.calls().headObject(b -> b.bucket(bucket()).key(key)));
        } catch (SdkException e) {
            if (S3Errors.isNotFound(e)) {
                return Optional.empty();
            }
            throw S3Errors.translate("looking up " + key, e);
        }
    }
}
