package dev.filestaging.adapter.jersey.http;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ends the request bodies still arriving when a stopping server's grace is over. Each body then fails its next read,
 * and a read waiting for bytes is woken, as if the client had cut the connection, while the server still runs: the
 * request goes the way of a broken connection, so a resumable upload keeps and syncs what arrived, and its answer
 * goes out, before the server's threads and storage are stopped (stopping them first lost the bytes a cut-off PATCH
 * had received).
 */
public final class BodyDrain {
    private volatile boolean cut;
    /** Threads inside a body's read right now: woken by an interrupt when the bodies are cut. */
    private final Set<Thread> reading = ConcurrentHashMap.newKeySet();

    /** From now on, every body's next read fails; reads waiting now are woken and fail. */
    public void cutBodies() {
        cut = true;
        reading.forEach(Thread::interrupt);
    }

    InputStream watch(InputStream body) {
        return new FilterInputStream(body) {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                Thread reader = Thread.currentThread();
                failIfCut(reader);
                reading.add(reader);
                try {
                    return super.read(buffer, offset, length);
                } catch (IOException | RuntimeException e) {
                    failIfCut(reader);
                    throw e;
                } finally {
                    reading.remove(reader);
                    failIfCut(reader); // whatever the read got, the request ends as a broken one now
                }
            }
        };
    }

    private void failIfCut(Thread reader) throws IOException {
        if (cut) {
            if (reader.isInterrupted()) {
                Thread.interrupted(); // ours: the request goes on to sync what arrived, which an interrupt would break
            }
            throw new IOException("the server is stopping: the request body was cut off after the shutdown grace");
        }
    }
}
