package dev.filestaging.adapter.jersey.http;

import java.io.IOException;
import java.io.InputStream;

/**
 * The raw request body, counted on the wire: crossing the limit fails the read, whether or not the client declared a
 * length. Before the first read it runs {@code beforeFirstRead}, which sends a pending {@code 100 Continue}: a client
 * that asked for one sends the body only once we are ready to read it.
 */
final class WireLimitedInputStream extends ChunkedFilterInputStream {

    /** The body crossed its limit; the request must be refused with 413. */
    static final class LimitExceeded extends IOException {
        private final long limit;

        LimitExceeded(long limit) {
            super("the request body is larger than " + limit + " bytes");
            this.limit = limit;
        }

        long limit() {
            return limit;
        }
    }

    private final long limit;
    private Runnable beforeFirstRead;
    private long count;

    WireLimitedInputStream(InputStream in, long limit, Runnable beforeFirstRead) {
        super(in);
        this.limit = limit;
        this.beforeFirstRead = beforeFirstRead;
    }

    /** Bytes of the body read so far. */
    long bytesRead() {
        return count;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (beforeFirstRead != null) {
            Runnable once = beforeFirstRead;
            beforeFirstRead = null;
            try {
                once.run();
            } catch (java.io.UncheckedIOException e) {
                throw e.getCause();
            }
        }
        int n = in.read(buffer, offset, length);
        if (n > 0) {
            count += n;
            if (count > limit) {
                throw new LimitExceeded(limit);
            }
        }
        return n;
    }
}
