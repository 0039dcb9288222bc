package dev.filestaging.adapter.jersey.http;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A filter whose every read, one byte or a skip included, goes through {@link #read(byte[], int, int)}, so a subclass
 * that counts or times reads there sees all of them.
 */
abstract class ChunkedFilterInputStream extends FilterInputStream {

    ChunkedFilterInputStream(InputStream in) {
        super(in);
    }

    @Override
    public abstract int read(byte[] buffer, int offset, int length) throws IOException;

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n <= 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] sink = new byte[(int) Math.min(8192, Math.max(0, n))];
        return Math.max(read(sink, 0, sink.length), 0);
    }
}
