package dev.filestaging.adapter.jersey;

import dev.filestaging.domain.fixtures.ForwardingStagingStore;
import dev.filestaging.domain.storage.CommitOutcome;
import dev.filestaging.domain.storage.PendingFile;
import dev.filestaging.domain.storage.StagingStore;
import dev.filestaging.ports.FileKey;
import dev.filestaging.ports.StoredFile;
import java.util.function.Supplier;

/**
 * A store whose one-request uploads fail with a chosen exception, as a full disk or an unreachable bucket would make
 * them; everything else, resumable uploads included, is the delegate's.
 */
public final class FailingStore extends ForwardingStagingStore {
    private final Supplier<RuntimeException> failure;

    public FailingStore(StagingStore delegate, Supplier<RuntimeException> failure) {
        super(delegate);
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
}
