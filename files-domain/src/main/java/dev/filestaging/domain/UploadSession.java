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
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * One upload: streams the content once into a pending file while measuring size, MD5 and format, then commits it
 * within the quota. Any outcome but success, and any exception, leaves the pending file discarded.
 */
final class UploadSession {

    /** Large writes keep syscalls and digest calls few; the buffer is the only per-upload memory that matters. */
    static final int CHUNK_BYTES = 256 * 1024;

    private final UploadCommand command;
    private final FileKey key;
    private final QuotaLedger.Account account;
    private final FormatDetector detector;
    private final Clock clock;
    private final Supplier<UUID> ids;

    UploadSession(UploadCommand command, FileKey key, QuotaLedger.Account account, FormatDetector detector,
                  Clock clock, Supplier<UUID> ids) {
        this.command = command;
        this.key = key;
        this.account = account;
        this.detector = detector;
        this.clock = clock;
        this.ids = ids;
    }

    UploadOutcome streamInto(PendingFile pending) throws IOException {
        MessageDigest md5 = newMd5();
        byte[] chunk = new byte[CHUNK_BYTES];
        InputStream in = command.content();
        long size = 0;
        DetectedFormats formats = null;
        int filled;
        do {
            filled = fill(in, chunk);
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
            md5.update(chunk, 0, filled);
            pending.write(chunk, 0, filled);
        } while (filled == chunk.length);

        StoredFile file = new StoredFile(ids.get(), key, size, formats.dataFormat(), formats.compression(),
                Digest.md5(HexFormat.of().withUpperCase().formatHex(md5.digest())),
                command.principal().serviceAccountId(), clock.instant());
        return commit(pending, file);
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

    private static MessageDigest newMd5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide MD5", e);
        }
    }
}
