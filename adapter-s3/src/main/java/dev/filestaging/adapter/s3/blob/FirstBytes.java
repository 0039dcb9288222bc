package dev.filestaging.adapter.s3.blob;

import java.io.IOException;
import java.io.InputStream;
import software.amazon.awssdk.core.ResponseInputStream;

/**
 * The first {@code length} bytes of an object read whole; closing it aborts the rest of the response (the connection
 * is dropped rather than drained of bytes nobody reads).
 */
final class FirstBytes extends InputStream {
    private final ResponseInputStream<?> object;
    private long left;

    FirstBytes(ResponseInputStream<?> object, long length) {
        this.object = object;
        this.left = length;
    }

    @Override
    public int read() throws IOException {
        if (left == 0) {
            return -1;
        }
        int b = object.read();
        if (b >= 0) {
            left--;
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (left == 0) {
            return length == 0 ? 0 : -1;
        }
        int n = object.read(buffer, offset, (int) Math.min(length, left));
        if (n > 0) {
            left -= n;
        }
        return n;
    }

    @Override
    public void close() {
        object.abort();
    }
}
