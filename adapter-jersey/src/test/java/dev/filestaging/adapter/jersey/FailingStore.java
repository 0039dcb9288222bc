package dev.filestaging.adapter.jersey;

import dev.filestaging.ports.ByteRange;
import dev.filestaging.ports.FileKey;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.StoredContent;
import dev.filestaging.ports.StoredFile;
import dev.filestaging.domain.storage.CommitOutcome;
import dev.filestaging.domain.storage.PendingFile;
import dev.filestaging.domain.storage.ResumableUploads;
import dev.filestaging.domain.storage.StagingStore;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** A store whose writes fail with a chosen exception, as a full disk or an unreachable bucket would make them. */
public final class FailingStore implements StagingStore {
    private final StagingStore delegate;
    private final Supplier<RuntimeException> failure;

    public FailingStore(StagingStore delegate, Supplier<RuntimeException> failure) {
        this.delegate = delegate;
        this.failure = failure;
    }

    @Override
    public PendingFile create(FileKey key) {
        PendingFile real = delegate.create(key);
        return new PendingFile() {
            @Override
            public void write(byte[] buffer, int offset, int length) {
                throw failure.get();
            }

            @Override
            public CommitOutcome commit(StoredFile metadata) {
                throw failure.get();
            }

            @Override
            public void close() {
                real.close();
            }
        };
    }

    /** Resumable uploads are the delegate's: the failures here are of one-request uploads. */
    @Override
    public ResumableUploads uploads() {
        return delegate.uploads();
    }

    @Override
    public Optional<StoredFile> find(FileKey key) {
        return delegate.find(key);
    }

    @Override
    public List<StoredFile> list(StagingArea area) {
        return delegate.list(area);
    }

    @Override
    public long usedBytes(StagingArea area) {
        return delegate.usedBytes(area);
    }

    @Override
    public Optional<StoredContent> open(FileKey key, ByteRange range) {
        return delegate.open(key, range);
    }

    @Override
    public Optional<StoredFile> delete(FileKey key) {
        return delegate.delete(key);
    }

    @Override
    public Optional<StoredFile> delete(FileKey key, java.util.UUID id) {
        return delegate.delete(key, id);
    }
}
