package dev.filestaging.adapter.jersey;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The raw request body, counted on the wire: crossing the limit fails the read, whether or not the client declared a
 * length. Before the first read it runs {@code beforeFirstRead}, which sends a pending {@code 100 Continue}: a client
 * that asked for one sends the body only once we are ready to read it.
 */
final class WireLimitedInputStream extends FilterInputStream {

    /** The body crossed the upload limit; the upload must be refused with 413. */
    static final class LimitExceeded extends IOException {
        LimitExceeded(long limit) {
            super("the request body is larger than " + limit + " bytes");
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

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n <= 0 ? -1 : one[0] & 0xFF;
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
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            count += n;
            if (count > limit) {
                throw new LimitExceeded(limit);
            }
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // counted like a read, so skipping cannot get past the limit
        byte[] sink = new byte[(int) Math.min(8192, Math.max(0, n))];
        int read = read(sink, 0, sink.length);
        return Math.max(read, 0);
    }
}
