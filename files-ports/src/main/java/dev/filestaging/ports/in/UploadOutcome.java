package dev.filestaging.ports.in;

import dev.filestaging.ports.SpaceUsage;
import dev.filestaging.ports.StoredFile;
import java.util.function.Function;

/**
 * What became of an upload: {@link Uploaded}, or a {@link Refusal}. Every refusal left nothing behind: no file, no
 * quota, a free name.
 */
public sealed interface UploadOutcome permits UploadOutcome.Uploaded, UploadOutcome.Refusal {

    /**
     * Exhaustive handling: a new kind of outcome is a compile error where it is handled rather than a surprise at run
     * time (refusals are told apart by {@link Refusal#fold(Refusal.Cases)}).
     */
    <R> R fold(Function<Uploaded, R> uploaded, Function<Refusal, R> refused);

    record Uploaded(StoredFile file) implements UploadOutcome {
        @Override
        public <R> R fold(Function<Uploaded, R> uploaded, Function<Refusal, R> refused) {
            return uploaded.apply(this);
        }
    }

    /** Why an upload was not staged; the client can act on each. */
    sealed interface Refusal extends UploadOutcome
            permits NameTaken, QuotaExceeded, InvalidName, DigestMismatch, UnsupportedContent, InvalidLifetime {

        /** One method per refusal: implement it to handle every one of them. */
        interface Cases<R> {
            R nameTaken(NameTaken refusal);

            R quotaExceeded(QuotaExceeded refusal);

            R invalidName(InvalidName refusal);

            R digestMismatch(DigestMismatch refusal);

            R unsupportedContent(UnsupportedContent refusal);

            R invalidLifetime(InvalidLifetime refusal);
        }

        <R> R fold(Cases<R> cases);

        @Override
        default <R> R fold(Function<Uploaded, R> uploaded, Function<Refusal, R> refused) {
            return refused.apply(this);
        }
    }

    /** A file of that name is already staged, or being uploaded; it was left untouched. */
    record NameTaken(String name) implements Refusal {
        @Override
        public <R> R fold(Cases<R> cases) {
            return cases.nameTaken(this);
        }
    }

    /** The file did not fit in the space that was left. */
    record QuotaExceeded(SpaceUsage space) implements Refusal {
        @Override
        public <R> R fold(Cases<R> cases) {
            return cases.quotaExceeded(this);
        }
    }

    /** The name breaks the naming rules; {@code reason} says which, in words for the user. */
    record InvalidName(String name, String reason) implements Refusal {
        @Override
        public <R> R fold(Cases<R> cases) {
            return cases.invalidName(this);
        }
    }

    /** The content's MD5 is not the one the client said it sent: it was damaged on its way. Hex, upper case. */
    record DigestMismatch(String expectedMd5, String actualMd5) implements Refusal {
        @Override
        public <R> R fold(Cases<R> cases) {
            return cases.digestMismatch(this);
        }
    }

    /** The content is of a kind ingestion cannot read. */
    record UnsupportedContent(ContentProblem problem) implements Refusal {
        @Override
        public <R> R fold(Cases<R> cases) {
            return cases.unsupportedContent(this);
        }
    }

    /** The client asked for its file to be kept for a time the deployment does not allow; {@code reason} says which. */
    record InvalidLifetime(String reason) implements Refusal {
        @Override
        public <R> R fold(Cases<R> cases) {
            return cases.invalidLifetime(this);
        }
    }

    enum ContentProblem {
        ZIP_ARCHIVE,
        TAR_ARCHIVE,
        /** A UTF-8 byte-order mark at the start of text breaks ingestion. */
        BYTE_ORDER_MARK
    }
}
