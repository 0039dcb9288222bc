package dev.filestaging.domain.upload;

import dev.filestaging.domain.formats.ContentPrefix;
import dev.filestaging.domain.formats.DetectedFormats;
import dev.filestaging.domain.formats.FormatDetector;
import dev.filestaging.domain.quota.QuotaLedger;
import dev.filestaging.domain.storage.CommitOutcome;
import dev.filestaging.domain.storage.PendingFile;
import dev.filestaging.domain.storage.ResumableFile;
import dev.filestaging.domain.storage.UploadWriter;
import dev.filestaging.ports.Digest;
import dev.filestaging.ports.FileKey;
import dev.filestaging.ports.StoredFile;
import dev.filestaging.ports.UploadMethod;
import dev.filestaging.ports.in.AppendOutcome;
import dev.filestaging.ports.in.Upload;
import dev.filestaging.ports.in.UploadOutcome;
import dev.filestaging.ports.in.UploadRequest;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * One upload, of either kind: streams its content, in one or more appends, into an {@link UploadWriter} while
 * measuring size, MD5 and format, then commits it within the quota. A one-request upload is a session begun, appended
 * to and completed in one request; a resumable upload is a session resumed in each request that appends to it.
 * Hashing and writing run on two worker threads ({@link ContentWriter}) while the caller's thread reads. The formats
 * are decided once the first {@link ContentPrefix#SIZE} bytes are in (or at completion, for a smaller file), so
 * however the content is cut into appends, the answer is the same. Any refusal, and any exception, ends the
 * session; closing it then discards what a one-request upload wrote.
 */
public final class UploadSession implements Upload {

    private final UploadRequest request;
    private final FileKey key;
    private final UploadWriter writer;
    /** What closing the session discards: a one-request upload's file; nothing of a resumable upload. */
    private final Runnable discard;
    private final UploadMethod method;
    private final QuotaLedger.Space account;
    private final FormatDetector detector;
    private final Clock clock;
    private final Supplier<UUID> ids;
    private final Executor writers;
    private final MessageDigest md5;
    private final byte[] prefix;
    private int prefixLength;
    private DetectedFormats formats;
    private long size;
    private boolean over;

    /**
     * What an upload in progress has seen so far, enough to go on appending in another request: its size, the MD5 of
     * its bytes (a digest's state cannot be stored, so a process that lost it rebuilds it by reading the bytes again)
     * and its first bytes, for format detection.
     */
    public record Resumption(long size, MessageDigest md5, byte[] prefix, int prefixLength) {
        static Resumption fresh() {
            return new Resumption(0, ContentWriter.newMd5(), new byte[ContentPrefix.SIZE], 0);
        }

        /** Reads {@code bytes} (an upload's durable bytes, from the first) into a resumption. */
        public static Resumption of(java.io.InputStream bytes) throws IOException {
            Resumption read = fresh();
            byte[] buffer = new byte[ContentWriter.CHUNK_BYTES];
            long size = 0;
            int prefixLength = 0;
            int n;
            while ((n = bytes.read(buffer)) != -1) {
                read.md5().update(buffer, 0, n);
                int taken = Math.min(n, read.prefix().length - prefixLength);
                System.arraycopy(buffer, 0, read.prefix(), prefixLength, taken);
                prefixLength += taken;
                size += n;
            }
            return new Resumption(size, read.md5(), read.prefix(), prefixLength);
        }

        public Resumption copy() {
            try {
                return new Resumption(size, (MessageDigest) md5.clone(), prefix.clone(), prefixLength);
            } catch (CloneNotSupportedException e) {
                throw new IllegalStateException("the JDK's MD5 can be cloned", e);
            }
        }
    }

    /** A one-request upload into {@code pending}, which closing the session discards unless it was committed. */
    public UploadSession(UploadRequest request, FileKey key, PendingFile pending, QuotaLedger.Account account,
                  FormatDetector detector, Clock clock, Supplier<UUID> ids, Executor writers) {
        this(request, key, pending, pending::close, UploadMethod.MULTIPART, account, detector, clock, ids, writers,
                Resumption.fresh());
    }

    /**
     * A resumable upload going on from {@code from}, whose digest it takes over; closing the session leaves the
     * upload as it is (it outlives the request, and ends by its commit, termination or expiry).
     */
    public UploadSession(UploadRequest request, FileKey key, ResumableFile upload, QuotaLedger.Space account,
                  FormatDetector detector, Clock clock, Supplier<UUID> ids, Executor writers, Resumption from) {
        this(request, key, upload, () -> { }, UploadMethod.RESUMABLE, account, detector, clock, ids, writers, from);
    }

    private UploadSession(UploadRequest request, FileKey key, UploadWriter writer, Runnable discard,
                          UploadMethod method, QuotaLedger.Space account, FormatDetector detector, Clock clock, Supplier<UUID> ids,
                          Executor writers, Resumption from) {
        this.md5 = from.md5();
        this.prefix = from.prefix();
        this.prefixLength = from.prefixLength();
        this.size = from.size();
        this.request = request;
        this.key = key;
        this.writer = writer;
        this.discard = discard;
        this.method = method;
        this.account = account;
        this.detector = detector;
        this.clock = clock;
        this.ids = ids;
        this.writers = writers;
        if (prefixLength == prefix.length) {
            detect(); // the same formats as when the prefix filled up, in the request that appended it
        }
    }

    /**
     * Where this upload stands, to go on from in another request (a copy: completing this session consumes its
     * digest, and a completion that fails must leave the stored state as it was for the retry).
     */
    public Resumption resumption() {
        return new Resumption(size, md5, prefix, prefixLength).copy();
    }

    @Override
    public String name() {
        return key.name();
    }

    @Override
    public long receivedBytes() {
        return size;
    }

    @Override
    public AppendOutcome append(InputStream content) throws IOException {
        requireOpen();
        try {
            return appendAll(content);
        } catch (IOException | RuntimeException | Error failure) {
            over = true;
            throw failure;
        }
    }

    /** One content writer per append: when it returns, every byte appended is hashed and written. */
    private AppendOutcome appendAll(InputStream content) throws IOException {
        try (ContentWriter writer = new ContentWriter(this.writer, writers, md5)) {
            boolean ended;
            IOException broken = null;
            do {
                byte[] chunk = writer.freeChunk();
                Fill fill = fill(content, chunk);
                int filled = fill.bytes();
                broken = fill.broken();
                ended = filled < chunk.length;
                if (filled == 0) {
                    writer.giveBack(chunk);
                    break;
                }
                Optional<UploadOutcome.Refusal> refusal = remember(chunk, filled);
                if (refusal.isEmpty()) {
                    size += filled;
                    refusal = account.fits(size) ? Optional.empty()
                            : Optional.of(new UploadOutcome.QuotaExceeded(account.usage()));
                }
                if (refusal.isPresent()) {
                    writer.giveBack(chunk);
                    // the chunks before were being written meanwhile: a write that failed is the answer, whatever
                    // the timing, rather than a refusal that raced it
                    writer.finish();
                    return refused(refusal.get());
                }
                writer.submit(chunk, filled);
            } while (!ended);
            writer.finish();
            if (broken != null) {
                throw broken; // after the bytes that did arrive were written: a resumable upload keeps them
            }
        }
        return new AppendOutcome.Appended(size);
    }

    @Override
    public UploadOutcome complete(byte[] expectedMd5) throws IOException {
        requireOpen();
        over = true;
        if (formats == null) {
            Optional<UploadOutcome.Refusal> refusal = detect();
            if (refusal.isPresent()) {
                return refusal.get();
            }
        }
        byte[] digest = md5.digest();
        if (expectedMd5 != null && !MessageDigest.isEqual(digest, expectedMd5)) {
            return new UploadOutcome.DigestMismatch(HexFormat.of().withUpperCase().formatHex(expectedMd5),
                    HexFormat.of().withUpperCase().formatHex(digest));
        }
        Instant now = clock.instant();
        // the request's lifetime was resolved (the deployment's default applied) when the upload began
        StoredFile file = new StoredFile(ids.get(), key, size, formats.dataFormat(), formats.compression(),
                Digest.md5(HexFormat.of().withUpperCase().formatHex(digest)),
                request.principal().serviceAccountId(), now, method,
                request.keepFor() == null ? null : now.plus(request.keepFor()));
        return commit(file);
    }

    /** Discards what a one-request upload wrote unless it was committed (no content writer outlives an append). */
    @Override
    public void close() {
        over = true;
        discard.run();
    }

    /** Keeps the first bytes for detection; decides the formats once there are enough of them. */
    private Optional<UploadOutcome.Refusal> remember(byte[] chunk, int filled) {
        if (formats != null) {
            return Optional.empty();
        }
        int taken = Math.min(filled, prefix.length - prefixLength);
        System.arraycopy(chunk, 0, prefix, prefixLength, taken);
        prefixLength += taken;
        return prefixLength == prefix.length ? detect() : Optional.empty();
    }

    private Optional<UploadOutcome.Refusal> detect() {
        formats = detector.detect(ContentPrefix.of(prefix, prefixLength), key.name(), new FormatDetector.Hints(
                request.compressionFormat(), request.dataFormat(), request.mediaType()));
        return formats.problemIfAny().map(UploadOutcome.UnsupportedContent::new);
    }

    private UploadOutcome commit(StoredFile file) {
        Optional<QuotaLedger.Reservation> reservation = account.reserve(file.sizeBytes());
        if (reservation.isEmpty()) {
            return new UploadOutcome.QuotaExceeded(account.usage());
        }
        CommitOutcome outcome;
        try (QuotaLedger.Reservation held = reservation.get()) {
            outcome = writer.commit(file);
            if (outcome instanceof CommitOutcome.Committed committed) {
                held.confirm();
                return new UploadOutcome.Uploaded(committed.file());
            }
        }
        if (outcome instanceof CommitOutcome.OverQuota) {
            // the store counts what other processes committed meanwhile: read it again for the answer's figures
            account.reread();
            return new UploadOutcome.QuotaExceeded(account.usage());
        }
        return new UploadOutcome.NameTaken(key.name());
    }

    private AppendOutcome refused(UploadOutcome.Refusal refusal) {
        over = true;
        return new AppendOutcome.Refused(refusal);
    }

    private void requireOpen() {
        if (over) {
            throw new IllegalStateException("the upload of '" + key.name() + "' is over: it was completed or refused");
        }
    }

    /** What one fill of a buffer got: its bytes, and the failure that stopped it early, if one did. */
    private record Fill(int bytes, IOException broken) {}

    /** Reads until the buffer is full, the stream ends or reading fails. */
    private static Fill fill(InputStream in, byte[] buffer) {
        int filled = 0;
        int n;
        try {
            while (filled < buffer.length && (n = in.read(buffer, filled, buffer.length - filled)) != -1) {
                filled += n;
            }
        } catch (IOException e) {
            return new Fill(filled, e);
        }
        return new Fill(filled, null);
    }
}
