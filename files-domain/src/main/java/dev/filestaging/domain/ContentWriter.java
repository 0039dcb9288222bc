package dev.filestaging.domain;

import dev.filestaging.ports.out.PendingFile;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;

/**
 * Hashes chunks and writes them to the pending file on a second thread, while the request thread reads and parses
 * the next chunk: on two cores, parsing and MD5 plus the write each take about a core at full speed, so doing them
 * one after the other halves the throughput. A few buffers circulate between the two threads; the request thread
 * takes a free one, fills it and hands it over. A content that fits in the first chunk is hashed and written on the
 * caller's thread, sparing small uploads the hand-over.
 *
 * <p>A failure of the write is rethrown, as is, on the request thread at its next call. {@link #close()} waits until
 * the writing thread has let go of the pending file, so the caller may discard it safely afterwards.
 */
final class ContentWriter implements AutoCloseable {

    static final int CHUNK_BYTES = 256 * 1024;
    /** Buffers in circulation: one being filled, one being written, one ready in between. */
    private static final int BUFFERS = 3;

    private record Chunk(byte[] bytes, int length) {}

    private static final Chunk END = new Chunk(new byte[0], 0);

    private final PendingFile pending;
    private final Executor executor;
    private final MessageDigest md5 = newMd5();
    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(BUFFERS);
    private final BlockingQueue<Chunk> filled = new ArrayBlockingQueue<>(BUFFERS + 1);
    private final CountDownLatch writerDone = new CountDownLatch(1);
    private volatile Throwable failure;
    private boolean writerStarted;
    private boolean ended;

    ContentWriter(PendingFile pending, Executor executor) {
        this.pending = pending;
        this.executor = executor;
        free.add(new byte[CHUNK_BYTES]);
    }

    /** A buffer to fill; waits while all are being written. */
    byte[] freeChunk() throws IOException {
        rethrowFailure();
        byte[] buffer = free.poll();
        if (buffer != null) {
            return buffer;
        }
        if (writerStarted) {
            try {
                buffer = free.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for the write of the previous chunk");
            }
            rethrowFailure();
            return buffer;
        }
        return new byte[CHUNK_BYTES];
    }

    /** Hands {@code length} bytes of a buffer from {@link #freeChunk()} over to be hashed and written. */
    void submit(byte[] buffer, int length, boolean last) throws IOException {
        rethrowFailure();
        if (!writerStarted && last) {
            hashAndWrite(buffer, length);
            free.offer(buffer);
            return;
        }
        if (!writerStarted) {
            writerStarted = true;
            for (int i = free.size() + 1; i < BUFFERS; i++) {
                free.add(new byte[CHUNK_BYTES]);
            }
            executor.execute(this::writeUntilEnd);
        }
        filled.add(new Chunk(buffer, length));
    }

    /** Waits for every submitted chunk to be written; returns the MD5 of all of them. */
    byte[] finish() throws IOException {
        end();
        awaitWriter();
        rethrowFailure();
        return md5.digest();
    }

    /** Stops the writing thread after the chunk in hand, if it runs, and waits until it has. */
    @Override
    public void close() throws IOException {
        end();
        awaitWriter();
    }

    private void end() {
        if (!ended) {
            ended = true;
            filled.add(END);
        }
    }

    private void awaitWriter() throws IOException {
        if (!writerStarted) {
            return;
        }
        try {
            writerDone.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the last chunk's write");
        }
    }

    private void writeUntilEnd() {
        try {
            Chunk chunk;
            while ((chunk = filled.take()) != END) {
                if (failure == null) {
                    try {
                        hashAndWrite(chunk.bytes(), chunk.length());
                    } catch (RuntimeException | Error e) {
                        failure = e; // then keep recycling buffers so the request thread never waits forever
                    }
                }
                free.add(chunk.bytes());
            }
        } catch (InterruptedException e) {
            failure = new InterruptedIOException("the content writer was interrupted");
        } finally {
            writerDone.countDown();
        }
    }

    private void hashAndWrite(byte[] buffer, int length) {
        md5.update(buffer, 0, length);
        pending.write(buffer, 0, length);
    }

    private void rethrowFailure() throws IOException {
        Throwable thrown = failure;
        if (thrown instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (thrown instanceof Error error) {
            throw error;
        }
        if (thrown instanceof IOException io) {
            throw io;
        }
    }

    private static MessageDigest newMd5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide MD5", e);
        }
    }
}
