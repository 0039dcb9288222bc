package dev.filestaging.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.filestaging.domain.StagingService;
import dev.filestaging.domain.quota.Quotas;
import dev.filestaging.domain.resumable.ResumableUploadService;
import dev.filestaging.domain.storage.StagingStore;
import dev.filestaging.ports.ByteRange;
import dev.filestaging.ports.NameGlob;
import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.Principal;
import dev.filestaging.ports.Role;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.StoredContent;
import dev.filestaging.ports.StoredFile;
import dev.filestaging.ports.fixtures.MutableClock;
import dev.filestaging.ports.in.AppendOutcome;
import dev.filestaging.ports.in.BeginOutcome;
import dev.filestaging.ports.in.DeleteOutcome;
import dev.filestaging.ports.in.FileListing;
import dev.filestaging.ports.in.ListQuery;
import dev.filestaging.ports.in.ResumableState;
import dev.filestaging.ports.in.ResumeUploads.PatchOutcome;
import dev.filestaging.ports.in.ResumeUploads;
import dev.filestaging.ports.in.Upload;
import dev.filestaging.ports.in.UploadOutcome;
import dev.filestaging.ports.in.UploadRequest;
import dev.filestaging.ports.out.StorageException;
import dev.filestaging.ports.out.UploadTicket;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;

/**
 * The state of one model-based run over resumable uploads: the system (one or more instances of the real domain
 * service over real stores sharing one storage) and the model of what a client was told, with the actions a client,
 * an operator and a crash can take, and the invariants checked after each of them.
 *
 * <p>The model is the client's view: for each upload, the offset acknowledged to it (and, after a request whose answer
 * was lost to a crash, up to how far the upload may have got), its length, and whether it is open, staged or gone;
 * for each staged file, its exact bytes. After every step each upload's status, every staged file's bytes, the listing
 * and its space, and what the storage holds are compared with it.
 */
final class UploadsModel implements AutoCloseable {

    static final long QUOTA = 640 * 1024;
    /** Below the quota, so both the largest upload and the quota can be crossed. */
    static final long MAX_BYTES = 448 * 1024;
    static final Duration EXPIRY = Duration.ofHours(1);
    /** Each step lets this much time pass: more than the quota ledger's refresh, far less than the expiry. */
    static final Duration STEP = Duration.ofSeconds(2);
    static final List<String> NAMES = List.of("a.csv", "b.csv", "c.csv", "d.csv", "e.csv");
    static final OrganizationId ORG = new OrganizationId("model");
    static final StagingArea AREA = StagingArea.defaultProjectOf(ORG);
    static final Principal CLIENT = new Principal(ORG, "sa-model", Set.of(Role.MANAGE_FILES));
    private static final byte[] ALPHABET = "0123456789,,;\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** Where the instances keep their data: one data directory, or one bucket that several instances share. */
    interface Storage extends AutoCloseable {
        /** How many instances may use the storage at once. */
        int instances();

        /** Opens the storage as a new process would. */
        StagingStore open();

        /** Lets go of a store: cleanly, or after its process was killed (nothing of it runs any more). */
        void close(StagingStore store, boolean killed);

        /** Checks that the storage holds nothing the model does not expect (see {@link #leftoversExpected}). */
        void checkLeftovers(UploadsModel model);

        @Override
        void close();
    }

    /** One process: the real store, the fault planted in it, and the domain's services over it. */
    private final class Instance {
        final StagingStore real;
        final FaultyStore store;
        final StagingService service;
        final ResumableUploadService uploads;

        Instance() {
            this.real = storage.open();
            this.store = new FaultyStore(real);
            this.service = new StagingService(store, Quotas.uniform(QUOTA), clock, UUID::randomUUID, writers);
            this.uploads = service.resumableUploads(EXPIRY, MAX_BYTES);
        }
    }

    enum Phase { OPEN, STAGED, GONE }

    /** The client's view of one upload. */
    static final class Up {
        final int ordinal;
        final String id;
        final String name;
        /** The declared length, or -1 while deferred. */
        long length;
        /** For a deferred upload, how much the client means to send. */
        final long planned;
        /** Acknowledged (or otherwise known durable): never goes back. */
        long acked;
        /** How far the upload may have got, after a request whose answer was lost; else {@code acked}. */
        long possible;
        Phase phase;
        /** A request whose answer was lost may have staged it. */
        boolean maybeStaged;
        /** A termination whose answer was lost may have ended it. */
        boolean maybeGone;
        /** A declaration whose answer was lost may have recorded this length. */
        long maybeLength = -2;

        Up(int ordinal, String id, String name, long length, long planned) {
            this.ordinal = ordinal;
            this.id = id;
            this.name = name;
            this.length = length;
            this.planned = planned;
            this.phase = Phase.OPEN;
        }

        boolean certain() {
            return possible == acked && !maybeStaged && !maybeGone && maybeLength == -2;
        }

        @Override
        public String toString() {
            return "u" + ordinal + "(" + name + ", " + phase + ", offset " + acked
                    + (possible != acked ? ".." + possible : "") + "/" + (length < 0 ? "deferred" : length) + ")";
        }
    }

    private final Storage storage;
    private final Executor writers;
    final MutableClock clock = new MutableClock(Instant.parse("2031-01-01T00:00:00Z"));
    private final Instance[] instances;
    final List<Up> uploads = new ArrayList<>();
    /** Staged files by name: their exact bytes. */
    final Map<String, byte[]> files = new TreeMap<>();
    /** A kill cut a piece of an upload short (on S3: a multipart upload the dead-instance sweep aborts later). */
    boolean killedWhileWriting;
    /** Uploads whose writer was killed holding their lock: on S3 it stays until the next expiry sweep. */
    final Set<String> strayLocks = new java.util.HashSet<>();
    private int oneShots;
    final List<String> log = new ArrayList<>();

    UploadsModel(Storage storage, Executor writers) {
        this.storage = storage;
        this.writers = writers;
        this.instances = new Instance[storage.instances()];
        instances[0] = new Instance();
    }

    private Instance instance(int index) {
        int i = Math.floorMod(index, instances.length);
        if (instances[i] == null) {
            instances[i] = new Instance();
        }
        return instances[i];
    }

    /** The bytes of upload {@code ordinal}, the same in every run: text, so no format detection refuses them. */
    static byte[] content(int ordinal, long length) {
        byte[] bytes = new byte[(int) length];
        long state = 0x9E3779B97F4A7C15L * (ordinal + 1);
        for (int i = 0; i < bytes.length; i++) {
            state ^= state << 13;
            state ^= state >>> 7;
            state ^= state << 17;
            bytes[i] = ALPHABET[(int) Math.floorMod(state, (long) ALPHABET.length)];
        }
        return bytes;
    }

    private static byte[] slice(int ordinal, long from, long to) {
        return Arrays.copyOfRange(content(ordinal, to), (int) from, (int) to);
    }

    long committed() {
        return files.values().stream().mapToLong(b -> b.length).sum();
    }

    long held() {
        return uploads.stream().filter(u -> u.phase == Phase.OPEN).mapToLong(UploadsModel::holds).sum();
    }

    /** What an open upload holds of the quota: its length, or while deferred what it has, at least the minimum. */
    private static long holds(Up u) {
        return u.length >= 0 ? u.length : Math.max(u.acked, UploadTicket.DEFERRED_MINIMUM_HOLD);
    }

    /** What the quota leaves for more bytes. */
    long available() {
        return QUOTA - committed() - held();
    }

    private boolean nameTaken(String name) {
        return files.containsKey(name) || uploads.stream().anyMatch(u -> u.phase == Phase.OPEN && u.name.equals(name));
    }

    /** Mostly an open upload (indexes 0-6), else any, ended ones included. */
    private Up pick(int index) {
        List<Up> open = uploads.stream().filter(u -> u.phase == Phase.OPEN).toList();
        List<Up> among = index < 7 && !open.isEmpty() ? open : uploads;
        return among.isEmpty() ? null : among.get(Math.floorMod(index, among.size()));
    }

    private void note(String what) {
        log.add(what);
    }

    /** Counts what the sequences came to, reported with the property (jqwik's statistics). */
    private static void count(String action, Object outcome) {
        net.jqwik.api.statistics.Statistics.label(action).collect(outcome instanceof Class<?> type
                ? type.getSimpleName() : outcome instanceof Record ? outcome.getClass().getSimpleName()
                : String.valueOf(outcome));
    }

    // ------------------------------------------------------------------------------------------------- actions

    /** Creates an upload of {@code length} bytes (-1: deferred, of {@code planned} bytes in the end). */
    void create(int nameIndex, long length, long planned, int instanceIndex, FaultyStore.Fault fault) {
        Instance in = instance(instanceIndex);
        String name = NAMES.get(Math.floorMod(nameIndex, NAMES.size()));
        int ordinal = uploads.size();
        boolean tooLarge = length > MAX_BYTES;
        boolean overQuota = !tooLarge && (length < 0 ? UploadTicket.DEFERRED_MINIMUM_HOLD : length) > available();
        boolean taken = nameTaken(name);
        in.store.plan(fault);
        ResumeUploads.CreateOutcome outcome;
        try {
            outcome = in.uploads.create(new UploadRequest(CLIENT, AREA, name, null, null, null),
                    length < 0 ? OptionalLong.empty() : OptionalLong.of(length), Map.of("filename", name));
        } catch (FaultyStore.Killed killed) {
            count("create", "killed at " + fault.point());
            in.store.lastReserved().ifPresent(ticket -> {
                Up up = new Up(ordinal, ticket.id(), name, length, planned);
                up.maybeStaged = length == 0; // completing at creation may have gone through
                up.maybeGone = true;
                uploads.add(up);
                strayLocks.add(up.id); // staging it at creation takes its lock
            });
            kill(instanceIndex);
            return;
        } catch (StorageException failed) {
            assertThat(fired(in)).as("%s: the storage failed without a fault: %s", name, failed).isTrue();
            // a refused creation leaves nothing: no upload, a free name, no quota used
            in.store.lastReserved().ifPresent(ticket -> {
                Up up = new Up(ordinal, ticket.id(), name, length, planned);
                up.phase = Phase.GONE;
                uploads.add(up);
            });
            in.store.plan(null);
            return;
        }
        assertThat(in.store.killed()).isFalse();
        in.store.plan(null);
        count("create", outcome instanceof ResumeUploads.CreateOutcome.Refused r ? r.refusal() : outcome);
        if (tooLarge) {
            assertThat(outcome).as("create %s of %d bytes", name, length)
                    .isInstanceOf(ResumeUploads.CreateOutcome.TooLarge.class);
            return;
        }
        if (overQuota || taken) {
            assertThat(outcome).as("create %s of %d bytes (over quota: %s, name taken: %s)", name, length, overQuota,
                    taken).isInstanceOf(ResumeUploads.CreateOutcome.Refused.class);
            UploadOutcome.Refusal refusal = ((ResumeUploads.CreateOutcome.Refused) outcome).refusal();
            assertThat(refusal).isInstanceOfAny(overQuota ? UploadOutcome.QuotaExceeded.class
                    : UploadOutcome.NameTaken.class, taken ? UploadOutcome.NameTaken.class
                    : UploadOutcome.QuotaExceeded.class);
            return;
        }
        assertThat(outcome).as("create %s of %d bytes", name, length)
                .isInstanceOf(ResumeUploads.CreateOutcome.Created.class);
        ResumableState state = ((ResumeUploads.CreateOutcome.Created) outcome).state();
        Up up = new Up(ordinal, state.id(), name, length, planned);
        uploads.add(up);
        assertThat(state.offset()).isZero();
        assertThat(state.length()).isEqualTo(length < 0 ? OptionalLong.empty() : OptionalLong.of(length));
        if (length == 0) {
            assertThat(state.staged()).as("an empty upload is complete, and staged, at its creation").isTrue();
            up.phase = Phase.STAGED;
            files.put(name, new byte[0]);
        } else {
            assertThat(state.staged()).isFalse();
        }
    }

    enum Size { WHOLE, PART, EMPTY, OVER, CROSS_QUOTA }

    enum Check { NONE, GOOD, BAD }

    enum Declare { NONE, EXACT, LATER, BELOW, TOO_LARGE, BEYOND_QUOTA }

    /**
     * One PATCH: its size, how the offset is wrong ({@code offsetDelta}, 0 for right), its checksum, where the body
     * breaks off ({@code cutPercent} of it, or -1 for never), a length declared with it, and a fault.
     */
    record Patch(int upload, int instance, Size size, int percent, int extra, int offsetDelta, Check check,
                 int cutPercent, Declare declare, FaultyStore.Fault fault) {}

    void patch(Patch p) throws IOException {
        Up u = pick(p.upload());
        if (u == null) {
            return;
        }
        Instance in = instance(p.instance());
        long o = u.acked;
        long len = u.length;
        long remaining = Math.max(0, (len >= 0 ? len : u.planned) - o);
        long n = switch (p.size()) {
            case WHOLE -> remaining;
            case PART -> remaining * p.percent() / 100;
            case EMPTY -> 0;
            case OVER -> (len >= 0 ? len : MAX_BYTES) - o + 1 + p.extra();
            case CROSS_QUOTA -> Math.max(0, available()) + (len < 0 ? holds(u) - o : 0) + 1 + p.extra();
        };
        long offset = p.offsetDelta() == 0 ? o : Math.max(0, o + p.offsetDelta());
        if (offset == o && p.offsetDelta() != 0) {
            offset = o + 1;
        }
        OptionalLong declared = switch (p.declare()) {
            case NONE -> OptionalLong.empty();
            case EXACT -> OptionalLong.of(o + n);
            case LATER -> OptionalLong.of(o + n + 1 + p.extra());
            case BELOW -> o > 0 ? OptionalLong.of(o - 1) : OptionalLong.empty();
            case TOO_LARGE -> OptionalLong.of(MAX_BYTES + 1);
            case BEYOND_QUOTA -> OptionalLong.of(Math.max(o, holds(u) + Math.max(0, available())) + 1 + p.extra());
        };
        byte[] bytes = slice(u.ordinal, o, o + n);
        long delivered = p.cutPercent() < 0 ? n : n * p.cutPercent() / 100;
        Optional<ResumeUploads.ChunkCheck> check = switch (p.check()) {
            case NONE -> Optional.empty();
            case GOOD -> Optional.of(new ResumeUploads.ChunkCheck("sha1", digest("SHA-1", bytes)));
            case BAD -> Optional.of(new ResumeUploads.ChunkCheck("sha1", digest("SHA-1", "other".getBytes())));
        };
        Expected expected = expectPatch(u, offset, n, delivered, p.cutPercent() >= 0, declared, p.check());
        String what = String.format("PATCH %s at %d with %d bytes%s%s%s (%s)", u, offset, n,
                p.cutPercent() >= 0 ? " cut after " + delivered : "", declared.isPresent()
                        ? ", Upload-Length " + declared.getAsLong() : "", check.isPresent() ? ", " + p.check()
                        + " checksum" : "", p.fault() == null ? "no fault" : p.fault());
        note(what + " -> expect " + expected);
        InputStream body = new Body(bytes, delivered, p.cutPercent() >= 0);
        in.store.plan(p.fault());
        PatchOutcome outcome;
        try {
            outcome = in.uploads.append(CLIENT, AREA, u.id, offset, body, check, declared);
        } catch (FaultyStore.Killed killed) {
            count("PATCH", "killed at " + p.fault().point());
            // the answer is lost: the upload may be anywhere from what was acknowledged to where this would take it
            u.possible = Math.max(u.acked, expected.offset);
            u.maybeStaged = expected.staged;
            if (expected.length != u.length) {
                u.maybeLength = expected.length;
            }
            killedWhileWriting |= p.fault().point() == FaultyStore.Point.WRITE;
            strayLocks.add(u.id);
            kill(p.instance());
            return;
        } catch (StorageException failed) {
            count("PATCH", "storage failed at " + p.fault().point());
            assertThat(fired(in)).as("%s: the storage failed without a fault: %s", what, failed).isTrue();
            in.store.plan(null);
            if (p.fault().point() == FaultyStore.Point.COMMIT_BEFORE) {
                // the bytes were synced before the commit failed; the upload must not look complete unless staged
                u.possible = Math.max(u.acked, expected.offset);
                u.maybeStaged = expected.staged;
                if (expected.length != u.length) {
                    u.maybeLength = expected.length;
                }
            }
            return; // nothing was stored: the status check finds the upload where it was
        } catch (IOException broken) {
            count("PATCH", "body broke off");
            in.store.plan(null);
            assertThat(expected.broken).as("%s threw %s", what, broken).isTrue();
            apply(u, expected);
            return;
        }
        if (expected.broken && expected.staged && outcome instanceof PatchOutcome.Completed) {
            expected.broken = false; // every byte arrived before the break: staged
        }
        boolean fired = fired(in);
        in.store.plan(null);
        count("PATCH", outcome instanceof PatchOutcome.Declined d ? "Declined " + d.refusal().getClass().getSimpleName()
                : outcome);
        assertThat(fired).as("%s: a fault struck but the append answered %s", what, outcome)
                .isFalse();
        assertThat(expected.broken).as("%s answered %s", what, outcome).isFalse();
        assertThat(expected.outcomes).as("%s answered %s", what, outcome)
                .anyMatch(type -> type.isInstance(outcome) || outcome instanceof PatchOutcome.Declined declined
                        && type.isInstance(declined.refusal()));
        if (outcome instanceof PatchOutcome.Declined declined) {
            assertThat(declined.state().offset()).as("%s: declined, where the upload stands", what).isEqualTo(o);
            assertThat(declined.state().length()).as(what)
                    .isEqualTo(u.length < 0 ? OptionalLong.empty() : OptionalLong.of(u.length));
        }
        if (outcome instanceof PatchOutcome.OffsetMismatch mismatch) {
            assertThat(mismatch.offset()).as(what).isEqualTo(u.phase == Phase.STAGED ? u.length : o);
        }
        if (outcome instanceof PatchOutcome.ChecksumMismatch mismatch) {
            assertThat(mismatch.offset()).as(what).isEqualTo(o);
        }
        if (outcome instanceof PatchOutcome.Appended appended) {
            assertThat(appended.state().offset()).as(what).isEqualTo(expected.offset);
            assertThat(appended.state().staged()).isFalse();
        }
        if (outcome instanceof PatchOutcome.Completed completed) {
            assertThat(completed.state().staged()).isTrue();
            assertThat(completed.file().sizeBytes()).as(what).isEqualTo(expected.offset);
            assertThat(completed.file().digest().hash()).as(what)
                    .isEqualTo(md5(slice(u.ordinal, 0, expected.offset)));
        }
        apply(u, expected);
    }

    /** What an append should come to, by the model. */
    private static final class Expected {
        final List<Class<?>> outcomes = new ArrayList<>();
        /** The upload's offset and length afterwards, and whether it is staged then. */
        long offset;
        long length;
        boolean staged;
        /** The body broke off: the append throws the reading failure. */
        boolean broken;
        boolean changes;

        @Override
        public String toString() {
            return (broken ? "IOException" : outcomes.stream().map(Class::getSimpleName).collect(Collectors.joining("|")))
                    + (changes ? " -> offset " + offset + "/" + (length < 0 ? "deferred" : length) + (staged
                    ? " staged" : "") : " (unchanged)");
        }
    }

    private Expected expectPatch(Up u, long offset, long n, long delivered, boolean cut, OptionalLong declared,
                                 Check check) {
        Expected e = new Expected();
        e.offset = u.acked;
        e.length = u.length;
        if (u.phase == Phase.GONE) {
            e.outcomes.add(PatchOutcome.NotFound.class);
            return e;
        }
        if (u.phase == Phase.STAGED) {
            // a confirmation at the end of a finished upload: empty, or it is refused; nothing changes
            if (offset != u.length) {
                e.outcomes.add(PatchOutcome.OffsetMismatch.class);
            } else if (cut && delivered == 0) {
                e.broken = true;
            } else {
                e.outcomes.add((cut ? delivered : n) > 0 ? PatchOutcome.LengthMismatch.class
                        : PatchOutcome.Finished.class);
            }
            return e;
        }
        long o = u.acked;
        if (offset != o) {
            e.outcomes.add(PatchOutcome.OffsetMismatch.class);
            return e;
        }
        long len = u.length;
        if (declared.isPresent()) {
            long d = declared.getAsLong();
            if (len >= 0) {
                if (d != len) {
                    e.outcomes.add(PatchOutcome.LengthMismatch.class);
                    return e;
                }
            } else if (d < o || d > MAX_BYTES) {
                e.outcomes.add(PatchOutcome.LengthMismatch.class);
                return e;
            } else if (d - holds(u) > available()) {
                e.outcomes.add(UploadOutcome.QuotaExceeded.class); // the length would hold more than is left
                return e;
            } else {
                len = d;
            }
        }
        long limit = (len >= 0 ? len : MAX_BYTES) - o;
        boolean tooLong = delivered > limit || !cut && n > limit;
        // what goes beyond what the upload holds already must fit (a length declared now is not held yet)
        long arriving = Math.min(delivered, limit + 1);
        boolean overQuota = (u.length < 0 ? Math.max(0, o + arriving - holds(u)) : 0) > available();
        if (tooLong || overQuota) {
            if (tooLong) {
                e.outcomes.add(PatchOutcome.LengthMismatch.class);
            }
            if (overQuota) {
                e.outcomes.add(UploadOutcome.QuotaExceeded.class);
            }
            return e;
        }
        if (cut) {
            e.broken = true;
            boolean kept = check == Check.NONE; // checked bytes are kept only when the check passes
            e.changes = kept && (delivered > 0 || len != u.length);
            e.offset = o + (kept ? delivered : 0);
            e.length = kept ? len : u.length;
            e.staged = len >= 0 && e.offset == len; // everything arrived: it is staged, or at least not shown complete
            if (e.staged) {
                e.outcomes.add(PatchOutcome.Completed.class);
            }
            return e;
        }
        if (check == Check.BAD) {
            e.outcomes.add(PatchOutcome.ChecksumMismatch.class);
            return e;
        }
        e.changes = true;
        e.offset = o + n;
        e.length = len;
        e.staged = len >= 0 && e.offset == len;
        e.outcomes.add(e.staged ? PatchOutcome.Completed.class : PatchOutcome.Appended.class);
        return e;
    }

    private void apply(Up u, Expected e) {
        if (!e.changes) {
            return;
        }
        if (e.broken) {
            // the bytes that arrived are kept, the failure rethrown: durable, and the status says so next
            u.acked = u.possible = e.offset;
            u.length = e.length;
            u.maybeStaged = e.staged;
            return;
        }
        u.acked = u.possible = e.offset;
        u.length = e.length;
        if (e.staged) {
            u.phase = Phase.STAGED;
            files.put(u.name, slice(u.ordinal, 0, e.offset));
        }
    }

    void status(int index, int instanceIndex) {
        Up u = pick(index);
        if (u != null) {
            resolve(u, instance(instanceIndex));
        }
    }

    void terminate(int index, int instanceIndex, FaultyStore.Fault fault) {
        Up u = pick(index);
        if (u == null) {
            return;
        }
        Instance in = instance(instanceIndex);
        in.store.plan(fault);
        ResumeUploads.Termination termination;
        try {
            termination = in.uploads.terminate(CLIENT, AREA, u.id);
        } catch (FaultyStore.Killed killed) {
            u.maybeGone = u.phase == Phase.OPEN;
            strayLocks.add(u.id);
            kill(instanceIndex);
            return;
        } catch (StorageException failed) {
            assertThat(fired(in)).as("terminate %s: %s", u, failed).isTrue();
            in.store.plan(null);
            return;
        }
        boolean fired = fired(in);
        in.store.plan(null);
        assertThat(fired).as("terminate %s: a fault struck but it answered %s", u, termination).isFalse();
        assertThat(termination).as("terminate %s", u)
                .isEqualTo(u.phase == Phase.OPEN ? ResumeUploads.Termination.TERMINATED
                        : ResumeUploads.Termination.NOT_FOUND);
        if (u.phase == Phase.OPEN) {
            u.phase = Phase.GONE;
        }
    }

    void deleteFile(int nameIndex, int instanceIndex) {
        String name = NAMES.get(Math.floorMod(nameIndex, NAMES.size()));
        DeleteOutcome outcome = instance(instanceIndex).service.delete(CLIENT, AREA, name);
        if (files.containsKey(name)) {
            assertThat(outcome).as("delete %s", name).isInstanceOf(DeleteOutcome.Deleted.class);
            files.remove(name);
        } else {
            assertThat(outcome).as("delete %s", name).isInstanceOf(DeleteOutcome.NotFound.class);
        }
    }

    /** A one-request upload of the name: refused while an open upload reserves it, and within the same quota. */
    void putFile(int nameIndex, int size, int instanceIndex) throws IOException {
        String name = NAMES.get(Math.floorMod(nameIndex, NAMES.size()));
        byte[] bytes = content(100_000 + oneShots++, size);
        boolean taken = nameTaken(name);
        boolean overQuota = size > available();
        BeginOutcome begun = instance(instanceIndex).service.begin(new UploadRequest(CLIENT, AREA, name, null, null,
                null));
        UploadOutcome outcome;
        if (begun instanceof BeginOutcome.Refused refused) {
            outcome = refused.refusal();
        } else {
            try (Upload upload = ((BeginOutcome.Begun) begun).upload()) {
                AppendOutcome appended = upload.append(new ByteArrayInputStream(bytes));
                outcome = appended instanceof AppendOutcome.Refused refused ? refused.refusal()
                        : upload.complete(null);
            }
        }
        String what = String.format("one-request upload of %s, %d bytes (name taken: %s, over quota: %s)", name, size,
                taken, overQuota);
        if (!taken && !overQuota) {
            assertThat(outcome).as(what).isInstanceOf(UploadOutcome.Uploaded.class);
            files.put(name, bytes);
            return;
        }
        assertThat(outcome).as(what).isInstanceOfAny(taken ? UploadOutcome.NameTaken.class
                : UploadOutcome.QuotaExceeded.class, overQuota ? UploadOutcome.QuotaExceeded.class
                : UploadOutcome.NameTaken.class);
    }

    /** A clean stop and start: the in-memory resumption state is gone. */
    void restart(int instanceIndex) {
        int i = Math.floorMod(instanceIndex, instances.length);
        if (instances[i] != null) {
            storage.close(instances[i].real, false);
            instances[i] = null;
        }
        instance(i);
    }

    /** {@code kill -9}: nothing of the instance runs on, what it had written stays as it was; then a new start. */
    private void kill(int instanceIndex) {
        int i = Math.floorMod(instanceIndex, instances.length);
        assertThat(instances[i].store.killed()).isTrue();
        storage.close(instances[i].real, true);
        instances[i] = null;
        instance(i);
    }

    /** Time passes beyond the expiry and an instance sweeps: every open upload ends, no note of a staged one stays. */
    void expire(int instanceIndex) {
        clock.advance(EXPIRY.plusMinutes(1));
        long open = uploads.stream().filter(u -> u.phase == Phase.OPEN).count();
        int expired = instance(instanceIndex).uploads.expireIdle();
        strayLocks.clear();
        assertThat(expired).as("uploads ended by the expiry sweep").isEqualTo((int) open);
        uploads.forEach(u -> u.phase = Phase.GONE);
    }

    void tick() {
        clock.advance(STEP);
    }

    private static boolean fired(Instance in) {
        return in.store.fired();
    }

    // ---------------------------------------------------------------------------------------------- invariants

    /** Every invariant, after every step. */
    void check() throws IOException {
        Instance first = instance(0);
        for (Up u : uploads) {
            resolve(u, first);
        }
        for (Instance in : instances) {
            if (in == null) {
                continue;
            }
            for (Up u : uploads) {
                if (in != first) {
                    resolve(u, in); // the other instance agrees (the model is certain now)
                }
            }
            checkFiles(in);
        }
        assertThat(committed() + held()).as("staged and held bytes within the quota: %s", uploads)
                .isLessThanOrEqualTo(QUOTA);
        storage.checkLeftovers(this);
    }

    /** Compares an upload's status with the model, and settles what a lost answer left open. */
    private void resolve(Up u, Instance in) {
        Optional<ResumableState> status = in.uploads.status(CLIENT, AREA, u.id);
        String what = "status of " + u;
        if (u.maybeStaged && stagedFileOf(u, in)) {
            files.put(u.name, slice(u.ordinal, 0, u.length >= 0 ? u.length : u.maybeLength));
            if (u.length < 0) {
                u.length = u.maybeLength;
            }
            u.acked = u.possible = u.length;
            u.maybeStaged = false;
            u.maybeGone = false;
            u.maybeLength = -2;
            u.phase = Phase.STAGED;
            if (status.isPresent()) {
                assertThat(status.get().staged()).as(what + ": its file is staged").isTrue();
            } else {
                u.phase = Phase.GONE; // the note of a staged upload is best effort (the port says so)
            }
        }
        if (status.isEmpty()) {
            if (u.maybeGone) {
                u.phase = Phase.GONE;
                u.maybeGone = false;
                u.maybeStaged = false;
                u.maybeLength = -2;
                u.possible = u.acked;
                return;
            }
            assertThat(u.phase).as(what + ": the upload is gone").isEqualTo(Phase.GONE);
            return;
        }
        ResumableState state = status.get();
        assertThat(u.phase).as(what + ": the service answered " + state).isNotEqualTo(Phase.GONE);
        assertThat(state.name()).isEqualTo(u.name);
        if (u.phase == Phase.STAGED) {
            assertThat(state.staged()).as(what).isTrue();
            assertThat(state.offset()).as(what).isEqualTo(u.length);
            assertThat(state.length()).as(what).isEqualTo(OptionalLong.of(u.length));
            return;
        }
        assertThat(state.staged()).as(what + ": staged, but its file is not: " + state).isFalse();
        assertThat(state.offset()).as(what + ": an acknowledged offset went back").isGreaterThanOrEqualTo(u.acked);
        assertThat(state.offset()).as(what + ": more than was acknowledged").isLessThanOrEqualTo(u.possible);
        long length = state.length().orElse(-1);
        if (u.maybeLength != -2 && length == u.maybeLength) {
            u.length = length;
        }
        assertThat(length).as(what + ": its length").isEqualTo(u.length);
        assertThat(length < 0 || state.offset() < length)
                .as(what + ": the full length, yet not staged: " + state).isTrue();
        u.acked = u.possible = state.offset();
        u.maybeStaged = false;
        u.maybeGone = false;
        u.maybeLength = -2;
    }

    /** Whether the upload's file is staged under its name, with exactly its bytes. */
    private boolean stagedFileOf(Up u, Instance in) {
        long length = u.length >= 0 ? u.length : u.maybeLength;
        Optional<StoredFile> file = in.service.get(CLIENT, AREA, u.name);
        return length >= 0 && file.isPresent() && !files.containsKey(u.name) && file.get().sizeBytes() == length
                && file.get().digest().hash().equals(md5(slice(u.ordinal, 0, length)));
    }

    /** The staged files are the model's, byte for byte, and the listing's space counts the open uploads' holds. */
    private void checkFiles(Instance in) throws IOException {
        FileListing listing = in.service.list(CLIENT, AREA);
        FileListing page = in.service.list(CLIENT, AREA, new ListQuery(null, ListQuery.DEFAULT_LIMIT,
                NameGlob.ANY));
        Map<String, Long> expected = new LinkedHashMap<>();
        files.forEach((name, bytes) -> expected.put(name, (long) bytes.length));
        for (FileListing each : List.of(listing, page)) {
            Map<String, Long> listed = new LinkedHashMap<>();
            each.files().forEach(f -> listed.put(f.name(), f.sizeBytes()));
            assertThat(listed).as("the staged files").isEqualTo(expected);
            assertThat(each.space().usedBytes()).as("the listing's used space: files %d + open uploads' holds %d",
                    committed(), held()).isEqualTo(committed() + held());
        }
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            Optional<StoredContent> opened = in.service.open(CLIENT, AREA, file.getKey(), new ByteRange.Whole());
            assertThat(opened).as(file.getKey()).isPresent();
            try (StoredContent content = opened.get(); InputStream bytes = content.content()) {
                assertThat(md5(bytes.readAllBytes())).as("the bytes of " + file.getKey())
                        .isEqualTo(md5(file.getValue()));
                assertThat(content.file().digest().hash()).isEqualTo(md5(file.getValue()));
            }
        }
    }

    /** The ids of uploads that may hold storage: open ones, and (as a note) staged ones. */
    Map<String, Phase> phases() {
        Map<String, Phase> phases = new HashMap<>();
        uploads.forEach(u -> phases.put(u.id, u.phase));
        return phases;
    }

    @Override
    public void close() {
        for (int i = 0; i < instances.length; i++) {
            if (instances[i] != null) {
                try {
                    storage.close(instances[i].real, instances[i].store.killed());
                } catch (RuntimeException ignored) {
                    // closing what is left after a failure
                }
                instances[i] = null;
            }
        }
        storage.close();
    }

    static String md5(byte[] bytes) {
        return HexFormat.of().withUpperCase().formatHex(digest("MD5", bytes));
    }

    private static byte[] digest(String algorithm, byte[] bytes) {
        try {
            return MessageDigest.getInstance(algorithm).digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A request body: {@code bytes}, of which only the first {@code delivered} arrive before it breaks off. */
    private static final class Body extends InputStream {
        private final byte[] bytes;
        private final long delivered;
        private final boolean breaks;
        private int position;

        Body(byte[] bytes, long delivered, boolean breaks) {
            this.bytes = bytes;
            this.delivered = delivered;
            this.breaks = breaks;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            long end = breaks ? delivered : bytes.length;
            if (position >= end) {
                if (breaks) {
                    throw new IOException("the connection broke after " + delivered + " bytes");
                }
                return -1;
            }
            int n = (int) Math.min(length, Math.min(end - position, 8 * 1024 + position % 1000));
            System.arraycopy(bytes, position, buffer, offset, n);
            position += n;
            return n;
        }
    }
}
