package dev.filestaging.domain.resumable;

import dev.filestaging.domain.formats.FormatDetector;
import dev.filestaging.domain.quota.QuotaLedger;
import dev.filestaging.domain.storage.ResumableFile;
import dev.filestaging.domain.storage.ResumableUploads;
import dev.filestaging.domain.upload.AccessPolicy;
import dev.filestaging.domain.upload.FileNameRules;
import dev.filestaging.domain.upload.UploadSession;
import dev.filestaging.ports.FileKey;
import dev.filestaging.ports.Principal;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.in.ResumableState;
import dev.filestaging.ports.in.ResumeUploads;
import dev.filestaging.ports.in.UploadOutcome;
import dev.filestaging.ports.in.UploadRequest;
import dev.filestaging.ports.out.DeclaredContent;
import dev.filestaging.ports.out.StorageException;
import dev.filestaging.ports.out.UploadTicket;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Resumable uploads over a store's {@link ResumableUploads}, driven by the same {@link UploadSession} as
 * a one-request upload: each append resumes the session where the last left it and syncs what arrived, and the last
 * byte completes it. The MD5 state of each upload in progress is kept in memory between appends; a process that does
 * not have it (after a restart, say) reads the upload's durable bytes once to rebuild it. Where a finished upload's
 * file went is the store's to remember ({@link ResumableUploads#staged}), so every process can tell the client.
 */
public final class ResumableUploadService implements ResumeUploads {


    private final ResumableUploads uploads;
    private final QuotaLedger ledger;
    private final FormatDetector detector;
    private final Clock clock;
    private final Supplier<UUID> ids;
    private final Executor writers;
    private final Duration expiry;
    private final long maxBytes;
    private final int maxOpenPerArea;
    private final dev.filestaging.domain.upload.FileLifetimes lifetimes;
    private final FileNameRules names = new FileNameRules();
    private final AccessPolicy access = new AccessPolicy();
    /** Creations in flight per area, so that concurrent ones cannot together pass the bound on open uploads. */
    private final Map<StagingArea, AtomicInteger> creations = new ConcurrentHashMap<>();
    /** Each upload's session state after its last sync; valid only while its size is the durable offset. */
    private final Map<String, UploadSession.Resumption> resumptions = new ConcurrentHashMap<>();

    public ResumableUploadService(ResumableUploads uploads, QuotaLedger ledger, FormatDetector detector, Clock clock,
                           Supplier<UUID> ids, Executor writers, Duration expiry, long maxBytes, int maxOpenPerArea) {
        this(uploads, ledger, detector, clock, ids, writers, expiry, maxBytes, maxOpenPerArea,
                dev.filestaging.domain.upload.FileLifetimes.KEPT_UNTIL_DELETED);
    }

    /** @param lifetimes how long the files of these uploads are kept, and what a client may ask for */
    public ResumableUploadService(ResumableUploads uploads, QuotaLedger ledger, FormatDetector detector, Clock clock,
                           Supplier<UUID> ids, Executor writers, Duration expiry, long maxBytes, int maxOpenPerArea,
                           dev.filestaging.domain.upload.FileLifetimes lifetimes) {
        this.lifetimes = java.util.Objects.requireNonNull(lifetimes, "lifetimes");
        this.uploads = uploads;
        this.ledger = ledger;
        this.detector = detector;
        this.clock = clock;
        this.ids = ids;
        this.writers = writers;
        this.expiry = expiry;
        this.maxBytes = maxBytes;
        this.maxOpenPerArea = maxOpenPerArea;
    }

    /** The checksum algorithms an append may be checked with, by their tus names. */
    public static java.util.Set<String> checkAlgorithms() {
        return ChunkCheck.ALGORITHMS;
    }

    @Override
    public long maxBytes() {
        return maxBytes;
    }

    @Override
    public CreateOutcome create(UploadRequest request, OptionalLong length, Map<String, String> metadata) {
        access.requireManaging(request.principal(), request.area());
        return names.keyOrRefusal(request.area(), request.fileName(), key -> create(request, key, length, metadata),
                invalid -> new CreateOutcome.Refused(invalid));
    }

    private CreateOutcome create(UploadRequest request, FileKey key, OptionalLong length, Map<String, String> metadata) {
        if (length.isPresent() && length.getAsLong() > maxBytes) {
            return new CreateOutcome.TooLarge(maxBytes);
        }
        Optional<String> badLifetime = lifetimes.refusal(request.keepFor());
        if (badLifetime.isPresent()) {
            return new CreateOutcome.Refused(new UploadOutcome.InvalidLifetime(badLifetime.get()));
        }
        AtomicInteger creating = creations.computeIfAbsent(request.area(), area -> new AtomicInteger());
        int alongside = creating.getAndIncrement(); // creations of this process in flight, not counted open yet
        try {
            UploadTicket ticket = new UploadTicket(newId(), key, length.orElse(UploadTicket.DEFERRED), metadata,
                    new DeclaredContent(request.dataFormat(), request.compressionFormat(), request.mediaType(),
                            lifetimes.resolve(request.keepFor())),
                    request.principal().serviceAccountId(), clock.instant(), clock.instant().plus(expiry));
            // an upload of no bytes is staged at its creation: it never stays open, so the bound is not its concern
            long openLimit = ticket.length() == 0 ? Long.MAX_VALUE : maxOpenPerArea;
            if (uploads.openCount(request.area()) + alongside >= openLimit) {
                return new CreateOutcome.TooManyOpen(maxOpenPerArea);
            }
            return reserve(ticket, openLimit);
        } finally {
            creating.decrementAndGet();
        }
    }

    /**
     * Holds the upload's space and name, atomically with other uploads of this process, or neither.
     *
     * @param openLimit how many uploads its area may have open with it
     */
    private CreateOutcome reserve(UploadTicket ticket, long openLimit) {
        QuotaLedger.Account account = ledger.account(ticket.key().area());
        Optional<QuotaLedger.Reservation> space = account.reserve(ticket.heldAt(0));
        if (space.isEmpty()) {
            return new CreateOutcome.Refused(new UploadOutcome.QuotaExceeded(account.usage()));
        }
        ResumableUploads.Reservation reservation;
        try (QuotaLedger.Reservation held = space.get()) {
            // the store checks the limits again where it is shared by several processes, against all of them
            reservation = uploads.reserveWithin(ticket, account.allocated(), openLimit);
            if (reservation instanceof ResumableUploads.Reservation.Reserved) {
                held.confirm(); // the upload holds this from now on
            }
        }
        if (reservation instanceof ResumableUploads.Reservation.NameTaken) {
            return new CreateOutcome.Refused(new UploadOutcome.NameTaken(ticket.key().name()));
        }
        if (reservation instanceof ResumableUploads.Reservation.OverQuota) {
            account.reread(); // other processes used the space: the answer's figures are theirs too
            return new CreateOutcome.Refused(new UploadOutcome.QuotaExceeded(account.usage()));
        }
        if (reservation instanceof ResumableUploads.Reservation.TooManyOpen) {
            return new CreateOutcome.TooManyOpen(maxOpenPerArea);
        }
        if (ticket.length() == 0) {
            return completeAtCreation(ticket);
        }
        return new CreateOutcome.Created(stateOf(ticket, 0));
    }

    /** An upload of no bytes has all of them at creation: it is staged at once (tus clients send no PATCH for it). */
    private CreateOutcome completeAtCreation(UploadTicket ticket) {
        PatchOutcome outcome;
        try {
            outcome = finishComplete(ticket.id(), ticket.key().area());
        } catch (RuntimeException failed) {
            abandon(ticket, failed);
            throw failed;
        }
        if (outcome instanceof PatchOutcome.Completed completed) {
            return new CreateOutcome.Created(completed.state());
        }
        if (outcome instanceof PatchOutcome.Refused refused) {
            return new CreateOutcome.Refused(refused.refusal());
        }
        if (outcome instanceof PatchOutcome.Declined declined) {
            return new CreateOutcome.Refused(declined.refusal());
        }
        // busy or gone just after it was made: another request (an expiry sweep) has it; the client asks by HEAD
        return new CreateOutcome.Created(stateOf(ticket, 0));
    }

    /**
     * Ends an upload whose creation is answered with a failure: the client never learns its id, so left open it would
     * hold its name and space, unreachable, until it expired.
     */
    private void abandon(UploadTicket ticket, RuntimeException failure) {
        try {
            if (uploads.openForWriting(ticket.id()) instanceof ResumableUploads.Opened.Writing writing) {
                try (ResumableFile file = writing.file()) {
                    end(file);
                }
            }
        } catch (RuntimeException alsoFailed) {
            failure.addSuppressed(alsoFailed); // the expiry sweep ends it
        }
    }

    @Override
    public Optional<ResumableState> status(Principal principal, StagingArea area, String uploadId) {
        access.requireReading(principal, area);
        if (!UploadTicket.ID.matcher(uploadId).matches()) {
            return Optional.empty();
        }
        Optional<ResumableUploads.UploadStatus> open = uploads.status(uploadId)
                .filter(status -> status.ticket().key().area().equals(area));
        if (open.isPresent() && allBytesIn(open.get().ticket(), open.get().offset())) {
            // all bytes durable but not staged (an older version synced the last bytes before committing, or a
            // zero-length creation was cut short): never show the full offset unstaged; stage it now
            PatchOutcome finished = finishComplete(uploadId, area);
            if (finished instanceof PatchOutcome.Completed completed) {
                return Optional.of(completed.state());
            }
            return uploads.status(uploadId).filter(status -> !allBytesIn(status.ticket(), status.offset()))
                    .map(status -> stateOf(status.ticket(), status.offset())).or(() -> stagedState(area, uploadId));
        }
        if (open.isPresent()) {
            return open.map(status -> stateOf(status.ticket(), status.offset()));
        }
        return stagedState(area, uploadId);
    }

    private static boolean allBytesIn(UploadTicket ticket, long offset) {
        return !ticket.lengthDeferred() && offset == ticket.length();
    }

    /** Stages an open upload that has all its bytes already. */
    private PatchOutcome finishComplete(String uploadId, StagingArea area) {
        ResumableUploads.Opened opened = uploads.openForWriting(uploadId);
        if (!(opened instanceof ResumableUploads.Opened.Writing writing)) {
            return opened instanceof ResumableUploads.Opened.Busy ? new PatchOutcome.Busy()
                    : new PatchOutcome.NotFound();
        }
        try (ResumableFile file = writing.file()) {
            if (!file.ticket().key().area().equals(area) || !allBytesIn(file.ticket(), file.offset())) {
                return new PatchOutcome.NotFound();
            }
            return complete(file, resume(file, file.ticket()), file.ticket(), file.offset());
        } catch (IOException unreadable) {
            throw new StorageException("reading back the upload " + uploadId + " failed", unreadable);
        }
    }

    /** A committed upload of the area, as the store remembers it until its ticket expires. */
    private Optional<ResumableState> stagedState(StagingArea area, String uploadId) {
        return uploads.staged(uploadId)
                .filter(ticket -> ticket.key().area().equals(area) && ticket.expires().isAfter(clock.instant()))
                .map(ticket -> new ResumableState(ticket.id(), ticket.key().name(), ticket.length(),
                        OptionalLong.of(ticket.length()), ticket.metadata(), ticket.expires(), true));
    }

    @Override
    public PatchOutcome append(Principal principal, StagingArea area, String uploadId, long offset, InputStream content,
                               Optional<ChunkCheck> check, OptionalLong declaredLength) throws IOException {
        access.requireManaging(principal, area);
        if (!UploadTicket.ID.matcher(uploadId).matches()) {
            return new PatchOutcome.NotFound();
        }
        ResumableUploads.Opened opened = uploads.openForWriting(uploadId);
        if (opened instanceof ResumableUploads.Opened.Busy) {
            return new PatchOutcome.Busy();
        }
        if (!(opened instanceof ResumableUploads.Opened.Writing writing)) {
            return finishedAt(area, uploadId, offset, content);
        }
        try (ResumableFile file = writing.file()) {
            if (!file.ticket().key().area().equals(area)) {
                return new PatchOutcome.NotFound();
            }
            if (offset != file.offset()) {
                return new PatchOutcome.OffsetMismatch(file.offset());
            }
            UploadTicket durable = file.ticket();
            Optional<PatchOutcome> badLength = declare(file, declaredLength);
            if (badLength.isPresent()) {
                return badLength.get();
            }
            file.keepUntil(clock.instant().plus(expiry)); // an upload ends when idle that long, not when that old
            return appendTo(file, durable, content, check);
        }
    }

    /** An append to an upload that is over: at its end and empty, a confirmation; otherwise it is not there. */
    private PatchOutcome finishedAt(StagingArea area, String uploadId, long offset, InputStream content)
            throws IOException {
        Optional<ResumableState> staged = stagedState(area, uploadId);
        if (staged.isEmpty()) {
            return new PatchOutcome.NotFound();
        }
        ResumableState state = staged.get();
        if (offset != state.offset()) {
            return new PatchOutcome.OffsetMismatch(state.offset());
        }
        if (content.read() != -1) {
            return new PatchOutcome.LengthMismatch("the upload is finished: its " + state.offset()
                    + " bytes are staged as '" + state.name() + "'");
        }
        return new PatchOutcome.Finished(state);
    }

    /**
     * Appends the request's bytes. What arrives is kept when the connection breaks (and acknowledged by the next
     * HEAD), except bytes that failed their check or went past the length; a refusal or a storage failure keeps
     * nothing of the request. The bytes that reach the upload's length are not synced: the commit makes them durable
     * and stages the file in one step.
     *
     * @param durable the ticket as recorded before this request (without a length it declares)
     */
    private PatchOutcome appendTo(ResumableFile file, UploadTicket durable, InputStream content,
                                  Optional<ChunkCheck> check) throws IOException {
        UploadTicket ticket = file.ticket();
        long before = file.offset();
        UploadSession session = resume(file, durable);
        MessageDigest chunkDigest = check.map(ChunkCheck::newDigest).orElse(null);
        long room = ticket.lengthDeferred() ? maxBytes - before : ticket.length() - before;
        Bounded body = new Bounded(chunkDigest == null ? content : new DigestInputStream(content, chunkDigest), room);
        dev.filestaging.ports.in.AppendOutcome appended;
        try {
            appended = session.append(body);
        } catch (IOException broken) {
            if (body.exceeded || check.isPresent()) {
                forget(file); // unchecked or too many bytes: none of them is kept
                if (body.exceeded) {
                    return new PatchOutcome.LengthMismatch("more bytes than the upload's length, "
                            + (ticket.lengthDeferred() ? maxBytes : ticket.length()));
                }
                throw broken;
            }
            // what arrived before the break is kept, as the protocol asks; all of it completes the upload (in a new
            // session: the broken one is over, though every byte that arrived was hashed and written)
            if (allBytesIn(ticket, session.receivedBytes())) {
                return complete(file, sessionFrom(file, durable, before, session.resumption()), durable, before);
            }
            keep(file, session, durable, before);
            throw broken;
        } catch (RuntimeException | Error failed) {
            forgetQuietly(file, failed); // a storage failure (a full disk): nothing of the request stays behind
            throw failed;
        }
        if (appended instanceof dev.filestaging.ports.in.AppendOutcome.Refused refused) {
            return declinedOrEnded(file, refused.refusal(), durable, before);
        }
        if (chunkDigest != null && !check.get().matches(chunkDigest)) {
            forget(file);
            return new PatchOutcome.ChecksumMismatch(before);
        }
        if (allBytesIn(ticket, session.receivedBytes())) {
            return complete(file, session, durable, before);
        }
        long synced = keep(file, session, durable, before);
        return new PatchOutcome.Appended(stateOf(file.ticket(), synced));
    }

    /**
     * Commits what was written, synced or not. A quota the file would cross declines the request and keeps the
     * upload where it was; content that can never be staged ends it.
     */
    private PatchOutcome complete(ResumableFile file, UploadSession session, UploadTicket durable, long before) {
        UploadOutcome outcome;
        try {
            outcome = session.complete(null);
        } catch (IOException | RuntimeException failed) {
            forgetQuietly(file, failed);
            throw failed instanceof IOException io ? new StorageException("staging the upload failed", io)
                    : (RuntimeException) failed;
        }
        if (outcome instanceof UploadOutcome.Uploaded uploaded) {
            resumptions.remove(file.ticket().id());
            ResumableState staged = new ResumableState(file.ticket().id(), file.ticket().key().name(),
                    uploaded.file().sizeBytes(), OptionalLong.of(uploaded.file().sizeBytes()),
                    file.ticket().metadata(), file.ticket().expires(), true);
            return new PatchOutcome.Completed(staged, uploaded.file());
        }
        return declinedOrEnded(file, (UploadOutcome.Refusal) outcome, durable, before);
    }

    private PatchOutcome declinedOrEnded(ResumableFile file, UploadOutcome.Refusal refusal, UploadTicket durable,
                                         long before) {
        if (refusal instanceof UploadOutcome.QuotaExceeded) {
            forget(file);
            return new PatchOutcome.Declined(refusal, stateOf(durable, before));
        }
        end(file);
        return new PatchOutcome.Refused(refusal);
    }

    private Optional<PatchOutcome> declare(ResumableFile file, OptionalLong declaredLength) {
        if (declaredLength.isEmpty()) {
            return Optional.empty();
        }
        long length = declaredLength.getAsLong();
        if (!file.ticket().lengthDeferred()) {
            return length == file.ticket().length() ? Optional.empty()
                    : Optional.of(new PatchOutcome.LengthMismatch("the upload's length is " + file.ticket().length()
                            + " and cannot change"));
        }
        if (length < file.offset() || length > maxBytes) {
            return Optional.of(new PatchOutcome.LengthMismatch("the length must be from " + file.offset()
                    + " (the bytes received) to " + maxBytes));
        }
        // from now on the upload holds its length: beyond what it holds already, that must fit as at a creation
        QuotaLedger.Account account = ledger.account(file.ticket().key().area());
        long beyond = length - file.ticket().heldAt(file.offset());
        if (beyond > 0 && !account.fits(beyond)) {
            return Optional.of(new PatchOutcome.Declined(new UploadOutcome.QuotaExceeded(account.usage()),
                    stateOf(file.ticket(), file.offset())));
        }
        file.declareLength(length); // durable with the bytes of this request, never without them
        return Optional.empty();
    }

    @Override
    public Termination terminate(Principal principal, StagingArea area, String uploadId) {
        access.requireManaging(principal, area);
        if (!UploadTicket.ID.matcher(uploadId).matches()) {
            return Termination.NOT_FOUND;
        }
        // a writer in the middle of an append keeps the upload until it is done; the client asks again
        ResumableUploads.Opened opened = uploads.openForWriting(uploadId);
        if (opened instanceof ResumableUploads.Opened.Busy) {
            boolean ours = uploads.status(uploadId).filter(s -> s.ticket().key().area().equals(area)).isPresent();
            return ours ? Termination.BUSY : Termination.NOT_FOUND;
        }
        if (!(opened instanceof ResumableUploads.Opened.Writing writing)) {
            return Termination.NOT_FOUND;
        }
        try (ResumableFile file = writing.file()) {
            if (!file.ticket().key().area().equals(area)) {
                return Termination.NOT_FOUND;
            }
            end(file);
            return Termination.TERMINATED;
        }
    }

    /** Ends every upload past its expiry; returns how many. */
    public int expireIdle() {
        int expired = 0;
        for (UploadTicket ticket : uploads.expire(clock.instant())) {
            resumptions.remove(ticket.id());
            // the expired upload's offset is gone with it: what it held is read from storage again soon
            ledger.account(ticket.key().area()).freed(ticket.heldAt(0));
            expired++;
        }
        return expired;
    }

    /** The session where the upload's last sync left it, from memory or, failing that, from its durable bytes. */
    /**
     * The session where the upload's last sync left it, from memory or, failing that, from its durable bytes.
     *
     * @param durable the ticket as recorded: what the upload holds of the quota is counted by it (a length
     *                declared in this request is not held yet, so the bytes beyond what is held must fit)
     */
    private UploadSession resume(ResumableFile file, UploadTicket durable) throws IOException {
        UploadSession.Resumption from = resumptions.get(file.ticket().id());
        if (from == null || from.size() != file.offset()) {
            try (InputStream bytes = file.readDurable()) {
                from = UploadSession.Resumption.of(bytes);
            }
        }
        return sessionFrom(file, durable, file.offset(), from);
    }

    /** A session of {@code file} going on from {@code from}, the upload holding what {@code durable} says at offset. */
    private UploadSession sessionFrom(ResumableFile file, UploadTicket durable, long offset,
                                      UploadSession.Resumption from) {
        UploadTicket ticket = file.ticket();
        long held = durable.heldAt(offset);
        return new UploadSession(requestOf(ticket), ticket.key(), file,
                ledger.account(ticket.key().area()).excluding(held), detector, clock, ids, writers, from.copy());
    }

    /** Syncs what was written; the space the upload holds follows its durable offset (and a declared length). */
    private long keep(ResumableFile file, UploadSession session, UploadTicket durable, long before) {
        long synced = file.sync();
        resumptions.put(file.ticket().id(), session.resumption());
        long grown = file.ticket().heldAt(synced) - durable.heldAt(before);
        if (grown != 0) {
            ledger.account(file.ticket().key().area()).held(grown);
        }
        return synced;
    }

    private void forget(ResumableFile file) {
        resumptions.remove(file.ticket().id());
        file.rollback();
    }

    /** Rolls back after a failure, which stays the one the caller reports. */
    private void forgetQuietly(ResumableFile file, Throwable failure) {
        try {
            forget(file);
        } catch (RuntimeException alsoFailed) {
            failure.addSuppressed(alsoFailed); // closing the file cuts the bytes back, or the next open does
        }
    }

    private void end(ResumableFile file) {
        resumptions.remove(file.ticket().id());
        long held = file.ticket().heldAt(file.offset());
        file.terminate();
        ledger.account(file.ticket().key().area()).freed(held);
    }

    private static ResumableState stateOf(UploadTicket ticket, long offset) {
        return new ResumableState(ticket.id(), ticket.key().name(), offset,
                ticket.lengthDeferred() ? OptionalLong.empty() : OptionalLong.of(ticket.length()),
                ticket.metadata(), ticket.expires(), false);
    }

    private static UploadRequest requestOf(UploadTicket ticket) {
        dev.filestaging.ports.Principal uploader = new dev.filestaging.ports.Principal(
                ticket.key().area().organization(), ticket.uploadedBy(),
                java.util.Set.of(dev.filestaging.ports.Role.MANAGE_FILES));
        DeclaredContent declared = ticket.declared();
        return new UploadRequest(uploader, ticket.key().area(), ticket.key().name(), declared.dataFormat(),
                declared.compression(), declared.mediaType(), declared.keepFor());
    }

    private String newId() {
        UUID id = ids.get();
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(16);
        bytes.putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
    }

    /** At most {@code room} bytes; one more fails the read, and nothing of the append is kept. */
    private static final class Bounded extends FilterInputStream {
        private long room;
        boolean exceeded;

        Bounded(InputStream in, long room) {
            super(in);
            this.room = room;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, (int) Math.min(length, room + 1));
            if (n > 0) {
                room -= n;
                if (room < 0) {
                    exceeded = true;
                    throw new IOException("more bytes than the upload's length");
                }
            }
            return n;
        }
    }
}
