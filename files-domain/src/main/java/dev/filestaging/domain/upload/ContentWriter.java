package dev.filestaging.domain.upload;

import dev.filestaging.domain.storage.UploadWriter;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hashes chunks on one thread and writes them to the upload's writer on another, while the request thread reads and
 * parses the next chunk. Done one after the other on the request thread, MD5 (about 800 MB/s, as fast as
 * {@code md5sum}), the write and the parsing add up; side by side, an upload goes as fast as the slowest of them.
 * A few buffers circulate: the request thread takes a free one, fills it and hands it to both workers; the buffer is
 * free again once both are done with it. Until a first full chunk comes, chunks are hashed and written on the caller's
 * thread, sparing small uploads the hand-over.
 *
 * <p>A failure of the write is rethrown, as is, on the request thread at its next call. {@link #close()} waits until
 * the workers have let go of the writer, so the caller may discard what it wrote safely afterwards.
 */
public final class ContentWriter implements AutoCloseable {

    public static final int CHUNK_BYTES = 256 * 1024;
    /** Buffers in circulation: one being filled, two being hashed or written, one ready in between. */
    private static final int BUFFERS = 4;

    private static final class Chunk {
        final byte[] bytes;
        final int length;
        final AtomicInteger workersLeft = new AtomicInteger(2);

        Chunk(byte[] bytes, int length) {
            this.bytes = bytes;
            this.length = length;
        }
    }

    private static final Chunk END = new Chunk(new byte[0], 0);

    private final UploadWriter target;
    private final Executor executor;
    private final MessageDigest md5;
    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(BUFFERS);
    private final BlockingQueue<Chunk> toHash = new ArrayBlockingQueue<>(BUFFERS + 1);
    private final BlockingQueue<Chunk> toWrite = new ArrayBlockingQueue<>(BUFFERS + 1);
    private final CountDownLatch workersDone = new CountDownLatch(2);
    private volatile Throwable failure;
    private boolean workersStarted;
    private boolean ended;

    /** @param md5 the digest of the whole file, updated with every chunk; the caller reads it once all are written */
    ContentWriter(UploadWriter target, Executor executor, MessageDigest md5) {
        this.target = target;
        this.executor = executor;
        this.md5 = md5;
        free.add(new byte[CHUNK_BYTES]);
    }

    /** A buffer to fill; waits while all are being hashed or written. */
    byte[] freeChunk() throws IOException {
        rethrowFailure();
        byte[] buffer = free.poll();
        if (buffer != null) {
            return buffer;
        }
        if (!workersStarted) {
            throw new IllegalStateException("the previous chunk was not submitted");
        }
        try {
            buffer = free.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the write of the previous chunk");
        }
        rethrowFailure();
        return buffer;
    }

    /** Returns a buffer from {@link #freeChunk()} unused. */
    void giveBack(byte[] buffer) {
        free.offer(buffer);
    }

    /** Hands {@code length} bytes of a buffer from {@link #freeChunk()} over to be hashed and written. */
    void submit(byte[] buffer, int length) throws IOException {
        rethrowFailure();
        if (ended) {
            throw new IllegalStateException("the content was already finished");
        }
        if (!workersStarted && length < buffer.length) {
            md5.update(buffer, 0, length);
            target.write(buffer, 0, length);
            free.offer(buffer);
            return;
        }
        if (!workersStarted) {
            workersStarted = true;
            for (int i = free.size() + 1; i < BUFFERS; i++) {
                free.add(new byte[CHUNK_BYTES]);
            }
            executor.execute(() -> work(toHash, chunk -> md5.update(chunk.bytes, 0, chunk.length)));
            executor.execute(() -> work(toWrite, chunk -> target.write(chunk.bytes, 0, chunk.length)));
        }
        Chunk chunk = new Chunk(buffer, length);
        toHash.add(chunk);
        toWrite.add(chunk);
    }

    /** Waits for every submitted chunk to be hashed and written, and rethrows a failure of either. */
    void finish() throws IOException {
        end();
        awaitWorkers();
        rethrowFailure();
    }

    /** Stops the workers after the chunks in hand, if they run, and waits until they have. */
    @Override
    public void close() throws IOException {
        end();
        awaitWorkers();
    }

    private void end() {
        if (!ended) {
            ended = true;
            toHash.add(END);
            toWrite.add(END);
        }
    }

    private void awaitWorkers() throws IOException {
        if (!workersStarted) {
            return;
        }
        try {
            workersDone.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the last chunk's write");
        }
    }

    private interface Step {
        void apply(Chunk chunk);
    }

    /** One worker: applies its step to each chunk until the end; after a failure, only gives buffers back. */
    private void work(BlockingQueue<Chunk> queue, Step step) {
        try {
            Chunk chunk;
            while ((chunk = queue.take()) != END) {
                if (failure == null) {
                    try {
                        step.apply(chunk);
                    } catch (RuntimeException | Error e) {
                        failure = e; // then keep recycling buffers so the request thread never waits forever
                    }
                }
                if (chunk.workersLeft.decrementAndGet() == 0) {
                    free.add(chunk.bytes);
                }
            }
        } catch (InterruptedException e) {
            failure = new InterruptedIOException("the content writer was interrupted");
        } finally {
            workersDone.countDown();
        }
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

    static MessageDigest newMd5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide MD5", e);
        }
    }
}
