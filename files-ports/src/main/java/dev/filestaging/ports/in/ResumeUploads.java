package dev.filestaging.ports.in;

import dev.filestaging.ports.Principal;
import dev.filestaging.ports.StagingArea;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Use case: uploads sent over any number of requests, which survive broken connections and restarts (the model of
 * tus 1.0). An upload is created with its name (reserved at once) and, if known, its length; bytes are appended at
 * the offset the service reports; on the last byte the file is staged exactly as a one-request upload would be.
 */
public interface ResumeUploads {

    /** The largest upload accepted. */
    long maxBytes();

    /**
     * Reserves the name and records the upload.
     *
     * An upload whose length is 0 is complete at creation: it is staged at once, and the state says so.
     *
     * @param length   the upload's length in bytes, or empty to say it later
     * @param metadata the client's metadata, kept with the upload and answered back
     * @throws AccessDeniedException the principal may not manage files of that area
     */
    CreateOutcome create(UploadRequest request, OptionalLong length, Map<String, String> metadata);

    /**
     * Where an upload stands; empty when there is none in that area (finished, terminated, expired or unknown). The
     * offset equals the length only once the file is staged: an upload found with all its bytes but not staged (left
     * so by an older version, or a crash) is staged first.
     */
    Optional<ResumableState> status(Principal principal, StagingArea area, String uploadId);

    /**
     * Appends {@code content} at {@code offset}, which must be the upload's current offset. The bytes that arrive are
     * kept even when the content breaks off (the failure is then rethrown); with {@code check}, the bytes are kept only
     * if their digest is the one given.
     *
     * @param declaredLength the length, when it was deferred at creation and the client says it now
     * @throws IOException reading {@code content} failed; what arrived before is durable and counted in the offset
     */
    PatchOutcome append(Principal principal, StagingArea area, String uploadId, long offset, InputStream content,
                         Optional<ChunkCheck> check, OptionalLong declaredLength) throws IOException;

    /** Ends an upload, discarding its bytes and freeing its name, unless a request is appending to it right now. */
    Termination terminate(Principal principal, StagingArea area, String uploadId);

    /** What a termination came to; a switch over it must name every one. */
    enum Termination {
        /** The upload is gone, its bytes, name and space freed. */
        TERMINATED,
        /** There was no such upload in progress in that area. */
        NOT_FOUND,
        /** Another request is appending to it; nothing changed, and the client may ask again. */
        BUSY
    }

    /** A digest the client computed over one append's bytes. @param algorithm {@code md5}, {@code sha1}, {@code sha256} */
    record ChunkCheck(String algorithm, byte[] expected) {
        /** The JDK's name of each algorithm an append may be checked with, by its tus name. */
        private static final java.util.Map<String, String> JDK_NAMES = java.util.Map.of("md5", "MD5", "sha1", "SHA-1",
                "sha256", "SHA-256");
        /** The algorithms an append may be checked with, by their tus names. */
        public static final java.util.Set<String> ALGORITHMS = JDK_NAMES.keySet();

        public ChunkCheck {
            if (!ALGORITHMS.contains(algorithm)) {
                throw new IllegalArgumentException("no checksum algorithm '" + algorithm + "'; use one of "
                        + ALGORITHMS);
            }
        }

        /** A new digest of the algorithm, to compute over the append's bytes. */
        public java.security.MessageDigest newDigest() {
            try {
                return java.security.MessageDigest.getInstance(JDK_NAMES.get(algorithm));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JDK has " + JDK_NAMES.get(algorithm), e);
            }
        }

        /** Whether {@code digest}, computed over the append's bytes, is the one the client expected. */
        public boolean matches(java.security.MessageDigest digest) {
            return java.security.MessageDigest.isEqual(digest.digest(), expected);
        }
    }

    /** What creating an upload came to. */
    sealed interface CreateOutcome {
        /** Exhaustive handling: a new outcome is a compile error where outcomes are answered. */
        <R> R fold(java.util.function.Function<Created, R> created,
                   java.util.function.Function<UploadOutcome.Refusal, R> refused,
                   java.util.function.Function<TooLarge, R> tooLarge,
                   java.util.function.Function<TooManyOpen, R> tooMany);

        record Created(ResumableState state) implements CreateOutcome {
            @Override
            public <R> R fold(java.util.function.Function<Created, R> created,
                              java.util.function.Function<UploadOutcome.Refusal, R> refused,
                              java.util.function.Function<TooLarge, R> tooLarge,
                              java.util.function.Function<TooManyOpen, R> tooMany) {
                return created.apply(this);
            }
        }

        record Refused(UploadOutcome.Refusal refusal) implements CreateOutcome {
            @Override
            public <R> R fold(java.util.function.Function<Created, R> created,
                              java.util.function.Function<UploadOutcome.Refusal, R> refused,
                              java.util.function.Function<TooLarge, R> tooLarge,
                              java.util.function.Function<TooManyOpen, R> tooMany) {
                return refused.apply(refusal);
            }
        }

        /** The area has as many open uploads as it may have: one must finish, be terminated or expire first. */
        record TooManyOpen(int limit) implements CreateOutcome {
            @Override
            public <R> R fold(java.util.function.Function<Created, R> created,
                              java.util.function.Function<UploadOutcome.Refusal, R> refused,
                              java.util.function.Function<TooLarge, R> tooLarge,
                              java.util.function.Function<TooManyOpen, R> tooMany) {
                return tooMany.apply(this);
            }
        }

        /** Longer than {@link #maxBytes}. */
        record TooLarge(long maxBytes) implements CreateOutcome {
            @Override
            public <R> R fold(java.util.function.Function<Created, R> created,
                              java.util.function.Function<UploadOutcome.Refusal, R> refused,
                              java.util.function.Function<TooLarge, R> tooLarge,
                              java.util.function.Function<TooManyOpen, R> tooMany) {
                return tooLarge.apply(this);
            }
        }
    }

    /** What appending came to. */
    sealed interface PatchOutcome {
        /** One method per outcome: implement it to answer every one of them. */
        interface Cases<R> {
            R appended(Appended outcome);

            R completed(Completed outcome);

            R finished(Finished outcome);

            R offsetMismatch(OffsetMismatch outcome);

            R checksumMismatch(ChecksumMismatch outcome);

            R lengthMismatch(LengthMismatch outcome);

            R busy(Busy outcome);

            R notFound(NotFound outcome);

            R refused(Refused outcome);

            R declined(Declined outcome);
        }

        <R> R fold(Cases<R> cases);
        /** The bytes are durable; more are expected. */
        record Appended(ResumableState state) implements PatchOutcome {
            @Override
            public <R> R fold(Cases<R> cases) {
                return cases.appended(this);
            }
        }

        /** That was the last byte: the file is staged. */
        record Completed(ResumableState state, dev.filestaging.ports.StoredFile file) implements PatchOutcome {
            @Override
            public <R> R fold(Cases<R> cases) {
                return cases.completed(this);
            }
        }

        /**
         * The upload was already finished and its file staged; an empty append at its end (what clients send to
         * confirm) changes nothing.
         */
        record Finished(ResumableState state) implements PatchOutcome {
            @Override
            public <R> R fold(Cases<R> cases) {
                return cases.finished(this);
            }
        }

        /** The offset given is not the upload's: nothing was appended. */
        record OffsetMismatch(long offset) implements PatchOutcome {
            @Override
            public <R> R fold(Cases<R> cases) {
                return cases.offsetMismatch(this);
            }
        }

        /** The bytes do not have the digest given: they were discarded, the offset is unchanged. */
        record ChecksumMismatch(long offset) implements PatchOutcome {
            @Override
            public <R> R fold(Cases<R> cases) {
                return cases.checksumMismatch(this);
            }
        }

        /** More bytes than the upload's length, or a declared length that cannot be: nothing was kept of them. */
        record LengthMismatch(String reason) implements PatchOutcome {
            @Override
            public <R> R fold(Cases<R> cases) {
                return cases.lengthMismatch(this);
            }
        }

        /** Another request is appending to the upload right now: nothing was appended. */
        record Busy() implements PatchOutcome {
            @Override
            public <R> R fold(Cases<R> cases) {
                return cases.busy(this);
            }
        }

        record NotFound() implements PatchOutcome {
            @Override
            public <R> R fold(Cases<R> cases) {
                return cases.notFound(this);
            }
        }

        /**
         * The upload was ended: nothing of it is kept and its name is free (content that can never be staged, or a
         * name that another file took).
         */
        record Refused(UploadOutcome.Refusal refusal) implements PatchOutcome {
            @Override
            public <R> R fold(Cases<R> cases) {
                return cases.refused(this);
            }
        }

        /**
         * Nothing of this request was kept, and the upload stands exactly where it was ({@code state}): a refusal the
         * client can remedy, such as a quota the bytes would cross, after which it resumes from that offset.
         */
        record Declined(UploadOutcome.Refusal refusal, ResumableState state) implements PatchOutcome {
            @Override
            public <R> R fold(Cases<R> cases) {
                return cases.declined(this);
            }
        }
    }
}
