package dev.filestaging.domain.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.filestaging.domain.storage.CommitOutcome;
import dev.filestaging.domain.storage.PendingFile;
import dev.filestaging.ports.StoredFile;
import dev.filestaging.ports.out.StorageException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

class ContentWriterTest {

    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final RecordingFile pending = new RecordingFile();

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    @Test
    void chunks_are_written_in_order_on_another_thread_and_hashed() throws Exception {
        byte[] content = new byte[ContentWriter.CHUNK_BYTES * 5 + 123];
        new Random(7).nextBytes(content);

        byte[] md5 = writeAll(content);

        assertThat(pending.bytes.toByteArray()).isEqualTo(content);
        assertThat(md5).isEqualTo(MessageDigest.getInstance("MD5").digest(content));
        assertThat(pending.threads).doesNotContain(Thread.currentThread().getName());
    }

    @Test
    void content_within_one_chunk_is_written_on_the_callers_thread() throws Exception {
        byte[] content = "a,b\n1,2\n".getBytes();

        byte[] md5 = writeAll(content);

        assertThat(pending.bytes.toByteArray()).isEqualTo(content);
        assertThat(md5).isEqualTo(MessageDigest.getInstance("MD5").digest(content));
        assertThat(pending.threads).containsExactly(Thread.currentThread().getName());
    }

    @Test
    void a_failed_write_reaches_the_request_thread_as_thrown_and_close_returns() throws IOException {
        StorageException diskFull = new StorageException.StorageFullException("no space left", null);
        pending.failAfterWrites = 2;
        pending.failure = diskFull;
        ContentWriter writer = new ContentWriter(pending, executor, ContentWriter.newMd5());

        assertThatThrownBy(() -> {
            for (int i = 0; i < 100; i++) {
                byte[] chunk = writer.freeChunk();
                writer.submit(chunk, chunk.length);
            }
            writer.finish();
        }).isSameAs(diskFull);
        writer.close();
        assertThat(pending.writes).isEqualTo(3);
    }

    private byte[] writeAll(byte[] content) throws IOException {
        MessageDigest md5 = ContentWriter.newMd5();
        try (ContentWriter writer = new ContentWriter(pending, executor, md5)) {
            int offset = 0;
            boolean last;
            do {
                byte[] chunk = writer.freeChunk();
                int length = Math.min(chunk.length, content.length - offset);
                System.arraycopy(content, offset, chunk, 0, length);
                Arrays.fill(chunk, length, chunk.length, (byte) 0);
                offset += length;
                last = length < chunk.length;
                writer.submit(chunk, length);
            } while (!last);
            writer.finish();
            return md5.digest();
        }
    }

    private static final class RecordingFile implements PendingFile {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final Set<String> threads = ConcurrentHashMap.newKeySet();
        int writes;
        int failAfterWrites = Integer.MAX_VALUE;
        RuntimeException failure;

        @Override
        public synchronized void write(byte[] buffer, int offset, int length) {
            threads.add(Thread.currentThread().getName());
            if (writes++ >= failAfterWrites) {
                throw failure;
            }
            bytes.write(buffer, offset, length);
        }

        @Override
        public CommitOutcome commit(StoredFile metadata) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
        }
    }
}
