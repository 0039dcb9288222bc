package dev.filestaging.domain;

import dev.filestaging.ports.Digest;
import dev.filestaging.ports.FileKey;
import dev.filestaging.ports.StoredFile;
import dev.filestaging.ports.in.UploadCommand;
import dev.filestaging.ports.in.UploadOutcome;
import dev.filestaging.ports.out.CommitOutcome;
import dev.filestaging.ports.out.PendingFile;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * One upload: streams the content once into a pending file while measuring size, MD5 and format, then commits it
 * within the quota. Hashing and writing run on two worker threads ({@link ContentWriter}) while this one reads. Any
 * outcome but success, and any exception, leaves the pending file discarded.
 */
final class UploadSession {

    private final UploadCommand command;
    private final FileKey key;
    private final QuotaLedger.Account account;
    private final FormatDetector detector;
    private final Clock clock;
    private final Supplier<UUID> ids;
    private final Executor writers;

    UploadSession(UploadCommand command, FileKey key, QuotaLedger.Account account, FormatDetector detector,
                  Clock clock, Supplier<UUID> ids, Executor writers) {
        this.command = command;
        this.key = key;
        this.account = account;
        this.detector = detector;
        this.clock = clock;
        this.ids = ids;
        this.writers = writers;
    }

    UploadOutcome streamInto(PendingFile pending) throws IOException {
        InputStream in = command.content();
        long size = 0;
        DetectedFormats formats = null;
        try (ContentWriter writer = new ContentWriter(pending, writers)) {
            boolean last;
            do {
                byte[] chunk = writer.freeChunk();
                int filled = fill(in, chunk);
                last = filled < chunk.length;
                if (formats == null) {
                    formats = detector.detect(ContentPrefix.of(chunk, Math.min(filled, ContentPrefix.SIZE)), key.name(),
                            new FormatDetector.Hints(command.compressionFormat(), command.dataFormat(), command.mediaType()));
                    if (formats.problemIfAny().isPresent()) {
                        return new UploadOutcome.UnsupportedContent(formats.problem());
                    }
                }
                size += filled;
                if (!account.fits(size)) {
                    return new UploadOutcome.QuotaExceeded(account.usage());
                }
                writer.submit(chunk, filled, last);
            } while (!last);
            byte[] md5 = writer.finish();
            byte[] expected = command.expectedMd5(); // a defensive copy: take it once
            if (expected != null && !MessageDigest.isEqual(md5, expected)) {
                return new UploadOutcome.DigestMismatch(HexFormat.of().withUpperCase().formatHex(expected),
                        HexFormat.of().withUpperCase().formatHex(md5));
            }
            StoredFile file = new StoredFile(ids.get(), key, size, formats.dataFormat(), formats.compression(),
                    Digest.md5(HexFormat.of().withUpperCase().formatHex(md5)),
                    command.principal().serviceAccountId(), clock.instant());
            return commit(pending, file);
        }
    }

    private UploadOutcome commit(PendingFile pending, StoredFile file) {
        Optional<QuotaLedger.Reservation> reservation = account.reserve(file.sizeBytes());
        if (reservation.isEmpty()) {
            return new UploadOutcome.QuotaExceeded(account.usage());
        }
        try (QuotaLedger.Reservation held = reservation.get()) {
            CommitOutcome outcome = pending.commit(file);
            if (outcome instanceof CommitOutcome.Committed committed) {
                held.confirm();
                return new UploadOutcome.Uploaded(committed.file());
            }
            return new UploadOutcome.NameTaken(key.name());
        }
    }

    /** Reads until the buffer is full or the stream ends; returns the bytes read. */
    private static int fill(InputStream in, byte[] buffer) throws IOException {
        int filled = 0;
        int n;
        while (filled < buffer.length && (n = in.read(buffer, filled, buffer.length - filled)) != -1) {
            filled += n;
        }
        return filled;
    }
}
