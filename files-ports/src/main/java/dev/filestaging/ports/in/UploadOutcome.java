package dev.filestaging.ports.in;

import dev.filestaging.ports.SpaceUsage;
import dev.filestaging.ports.StoredFile;

/** What became of an upload. Every outcome but {@link Uploaded} left nothing behind: no file, no quota, a free name. */
public sealed interface UploadOutcome {

    record Uploaded(StoredFile file) implements UploadOutcome {}

    /** A file of that name is already staged; it was left untouched. */
    record NameTaken(String name) implements UploadOutcome {}

    /** The file did not fit in the space that was left. */
    record QuotaExceeded(SpaceUsage space) implements UploadOutcome {}

    /** The name breaks the naming rules; {@code reason} says which, in words for the user. */
    record InvalidName(String name, String reason) implements UploadOutcome {}

    /** The content's MD5 is not the one the client said it sent: it was damaged on its way. Hex, upper case. */
    record DigestMismatch(String expectedMd5, String actualMd5) implements UploadOutcome {}

    /** The content is of a kind ingestion cannot read. */
    record UnsupportedContent(ContentProblem problem) implements UploadOutcome {}

    enum ContentProblem {
        ZIP_ARCHIVE,
        TAR_ARCHIVE,
        /** A UTF-8 byte-order mark at the start of text breaks ingestion. */
        BYTE_ORDER_MARK
    }
}
