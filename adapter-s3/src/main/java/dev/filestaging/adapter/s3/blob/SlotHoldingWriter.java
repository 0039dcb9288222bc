package dev.filestaging.adapter.s3.blob;

import dev.filestaging.ports.out.blob.BlobCheckpoint;
import dev.filestaging.ports.out.blob.BlobWriter;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A blob writer holding one of the store's {@link UploadSlots} (its part buffers are what the slots bound) until it is
 * closed, however often close is called.
 */
final class SlotHoldingWriter implements BlobWriter {
    private final BlobWriter writer;
    private final Runnable release;
    private final AtomicBoolean released = new AtomicBoolean();

    SlotHoldingWriter(BlobWriter writer, Runnable release) {
        this.writer = writer;
        this.release = release;
    }

    @Override
    public String blobId() {
        return writer.blobId();
    }

    @Override
    public long written() {
        return writer.written();
    }

    @Override
    public void write(byte[] buffer, int offset, int length) {
        writer.write(buffer, offset, length);
    }

    @Override
    public BlobCheckpoint sync() {
        return writer.sync();
    }

    @Override
    public long finish() {
        return writer.finish();
    }

    @Override
    public void close() {
        try {
            writer.close();
        } finally {
            if (released.compareAndSet(false, true)) {
                release.run();
            }
        }
    }
}
