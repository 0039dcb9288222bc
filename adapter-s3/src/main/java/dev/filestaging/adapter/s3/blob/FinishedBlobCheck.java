package dev.filestaging.adapter.s3.blob;

import dev.filestaging.ports.out.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Checks the bytes written again to a blob that a crash left finished (a commit that completed its object, then
 * never recorded its file): a finished object cannot change, so a writer reopened on it at a checkpoint may only
 * write again exactly the bytes it holds after that checkpoint. Bytes that differ (a client sending another tail
 * after the crash) fail the sync or finish that would acknowledge them, instead of staging a file whose MD5 is not of
 * its bytes; the upload must then be ended and sent again.
 */
final class FinishedBlobCheck {
    private final S3BlobStore store;
    private final String blobId;
    private final long from;
    private final long size;
    private final MessageDigest written = sha256();

    /**
     * @param from the checkpoint the blob was reopened at: what is written again starts there
     * @param size the finished blob's size
     */
    FinishedBlobCheck(S3BlobStore store, String blobId, long from, long size) {
        this.store = store;
        this.blobId = blobId;
        this.from = from;
        this.size = size;
    }

    void wrote(byte[] bytes, int offset, int length) {
        written.update(bytes, offset, length);
    }

    /** Fails unless the blob holds, from the checkpoint to {@code upTo}, exactly the bytes written again. */
    void check(long upTo) {
        if (upTo > size) {
            throw differs();
        }
        MessageDigest held = sha256();
        try (InputStream stored = store.read(blobId, from, upTo - from).orElseThrow(
                () -> new StorageException("the finished blob " + blobId + " is gone", null))) {
            byte[] buffer = new byte[256 * 1024];
            int n;
            while ((n = stored.read(buffer)) != -1) {
                held.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new StorageException("reading back the finished blob " + blobId + " failed", e);
        }
        MessageDigest sent;
        try {
            sent = (MessageDigest) written.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's SHA-256 can be cloned", e);
        }
        if (!MessageDigest.isEqual(held.digest(), sent.digest())) {
            throw differs();
        }
    }

    private StorageException differs() {
        return new StorageException("the blob " + blobId + " was finished before a crash with other bytes after"
                + " offset " + from + " than those sent again: end the upload and send it anew", null);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
