package dev.filestaging.ports.in;

import java.io.IOException;
import java.io.InputStream;

/**
 * One upload in progress, from {@link UploadFile#begin}: content is appended in one or more pieces, then the file is
 * completed (committed) or the upload closed (discarded). Used by one thread at a time. Nothing of it is visible to
 * listings, reads or the quota's used figure before {@link #complete} answers {@link UploadOutcome.Uploaded}.
 *
 * <p>After any {@link UploadOutcome.Refusal} (from {@link #append} or {@link #complete}) and after any exception the
 * upload is over: only {@link #close} may follow. Always close it; closing after a successful completion does nothing.
 */
public interface Upload extends AutoCloseable {

    /** The staged name the file will have (validated and normalized). */
    String name();

    /** Bytes appended so far. */
    long receivedBytes();

    /**
     * Reads {@code content} to its end and appends it. Refused when the file no longer fits in the quota, or when its
     * first bytes show content that ingestion cannot read.
     *
     * @throws IOException reading {@code content} failed; the exception is rethrown unchanged, so the caller can
     *                     recognise its own failures (a body cut off, too large, too slow)
     * @throws dev.filestaging.ports.out.StorageException the storage failed
     */
    AppendOutcome append(InputStream content) throws IOException;

    /**
     * Ends the content and commits the file atomically under its name, with its size, MD5 and formats, if the name is
     * still free and the file fits in the quota.
     *
     * @param expectedMd5 the 16-byte MD5 the client says the whole content has, or null; a mismatch is
     *                    {@link UploadOutcome.DigestMismatch} and nothing is stored
     * @throws dev.filestaging.ports.out.StorageException the storage failed; nothing became visible
     */
    UploadOutcome complete(byte[] expectedMd5) throws IOException;

    /** Discards everything appended unless the upload was completed. Never throws. */
    @Override
    void close();
}
