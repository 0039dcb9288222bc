package dev.filestaging.adapter.jersey.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongSupplier;

/**
 * A request body that must keep arriving: over every window (the idle timeout) of time spent waiting for the client,
 * at least the minimum rate on average. A client that trickles bytes (one a second, say) would otherwise hold a worker
 * thread for as long as it likes, since every byte resets the transport's idle timeout.
 *
 * <p>Only time spent inside the underlying read counts: while we are slow ourselves (storage pushing back), the client
 * cannot send, and that must not count against it.
 */
final class MinimumRateInputStream extends ChunkedFilterInputStream {

    /** The client sent too slowly; the upload must be given up with 408. */
    static final class TooSlow extends IOException {
        TooSlow(long received, long windowMillis, long minBytesPerSecond) {
            super("the client sent " + received + " bytes in " + windowMillis + " ms, less than the minimum of "
                    + minBytesPerSecond + " bytes per second");
        }
    }

    private final long windowNanos;
    private final long minBytesPerSecond;
    private final LongSupplier nanoTime;
    private long waitedInWindow;
    private long receivedInWindow;

    MinimumRateInputStream(InputStream in, long windowNanos, long minBytesPerSecond, LongSupplier nanoTime) {
        super(in);
        this.windowNanos = windowNanos;
        this.minBytesPerSecond = minBytesPerSecond;
        this.nanoTime = nanoTime;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        long started = nanoTime.getAsLong();
        int n = in.read(buffer, offset, length);
        waitedInWindow += nanoTime.getAsLong() - started;
        if (n > 0) {
            receivedInWindow += n;
        }
        if (n >= 0 && waitedInWindow >= windowNanos) {
            long required = minBytesPerSecond * waitedInWindow / 1_000_000_000L;
            if (receivedInWindow < required) {
                throw new TooSlow(receivedInWindow, waitedInWindow / 1_000_000, minBytesPerSecond);
            }
            waitedInWindow = 0;
            receivedInWindow = 0;
        }
        return n;
    }
}
