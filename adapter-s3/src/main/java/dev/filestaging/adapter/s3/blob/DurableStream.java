package dev.filestaging.adapter.s3.blob;

import dev.filestaging.adapter.s3.client.S3Errors;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The first {@code size()} bytes of each of a list of objects, one after the other, each object opened only when the
 * one before it is read through (so a blob's pieces are never in memory, and no connection waits idle). Each answer
 * is checked to be as long as expected; a failure is an {@link IOException}. Used by one thread.
 */
final class DurableStream extends InputStream {
    private final S3BlobStore store;
    private final Deque<S3Object> sources;
    private ResponseInputStream<GetObjectResponse> current;
    private long remaining;
    private boolean closed;

    DurableStream(S3BlobStore store, List<S3Object> sources) {
        this.store = store;
        this.sources = new ArrayDeque<>(sources);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
        if (closed) {
            throw new IOException("closed");
        }
        if (length == 0) {
            return 0;
        }
        while (true) {
            if (current == null && !openNext()) {
                return -1;
            }
            int n;
            try {
                n = current.read(bytes, offset, (int) Math.min(length, remaining));
            } catch (SdkException e) {
                throw new IOException("reading a durable piece of a blob failed", e);
            }
            if (n < 0) {
                if (remaining > 0) {
                    throw new IOException("a durable piece of a blob ended " + remaining + " bytes short");
                }
                current.close();
                current = null;
                continue;
            }
            remaining -= n;
            if (remaining == 0) {
                current.close();
                current = null;
            }
            if (n > 0) {
                return n;
            }
        }
    }

    private boolean openNext() throws IOException {
        S3Object next;
        do {
            next = sources.poll();
            if (next == null) {
                return false;
            }
        } while (next.size() == 0);
        String key = next.key();
        long size = next.size();
        try {
            current = store.calls().getObject(b -> b.bucket(store.bucket()).key(key)
                    .range("bytes=0-" + (size - 1)));
        } catch (SdkException e) {
            throw new IOException("reading " + key + " failed: "
                    + S3Errors.translate("reading " + key, e).getMessage(), e);
        }
        Long answered = current.response().contentLength();
        if (answered == null || answered != size) {
            current.abort();
            current = null;
            throw new IOException(key + " answered " + answered + " bytes, not " + size);
        }
        remaining = size;
        return true;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        sources.clear();
        if (current != null) {
            current.abort(); // not read through: do not drain the rest of a large piece
            current = null;
        }
    }
}
