package dev.filestaging.app.metrics;

import dev.filestaging.domain.storage.DirectReads;
import dev.filestaging.domain.storage.PendingFile;
import dev.filestaging.domain.storage.ResumableUploads;
import dev.filestaging.domain.storage.StagingStore;
import dev.filestaging.ports.ByteRange;
import dev.filestaging.ports.FileKey;
import dev.filestaging.ports.NameGlob;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.StoredContent;
import dev.filestaging.ports.StoredFile;
import dev.filestaging.ports.out.StoreHealth;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A store whose calls are timed ({@link StorageCallTimer}), its resumable uploads' too. Writing and committing an
 * upload is timed by the request it belongs to; here only the calls that open it.
 */
public final class MeteredStagingStore implements StagingStore {
    private final StagingStore store;
    private final StorageCallTimer timer;
    private final ResumableUploads uploads;
    private final AreaUsageMeters areas;

    /** @param areas told of every area whose used bytes were read, or changed by a commit or a delete */
    public MeteredStagingStore(StagingStore store, MeterRegistry registry, String backend, AreaUsageMeters areas) {
        this.store = store;
        this.timer = new StorageCallTimer(registry, backend);
        this.uploads = new MeteredResumableUploads(store.uploads(), timer, areas);
        this.areas = areas;
    }

    @Override
    public ResumableUploads uploads() {
        return uploads;
    }

    @Override
    public Optional<DirectReads> directReads() {
        return store.directReads();
    }

    @Override
    public List<dev.filestaging.domain.storage.SweepTally> sweeps() {
        return store.sweeps();
    }

    @Override
    public StoreHealth health() {
        return timer.timed("health", store::health);
    }

    @Override
    public PendingFile create(FileKey key) {
        PendingFile pending = timer.timed("create", () -> store.create(key));
        return new PendingFile() {
            @Override
            public void write(byte[] buffer, int offset, int length) {
                pending.write(buffer, offset, length);
            }

            @Override
            public dev.filestaging.domain.storage.CommitOutcome commit(dev.filestaging.ports.StoredFile metadata) {
                try {
                    return timer.timed("commit", () -> pending.commit(metadata));
                } finally {
                    areas.used(key.area()); // the area's used bytes change now, not when the upload began
                }
            }

            @Override
            public void close() {
                pending.close();
            }
        };
    }

    @Override
    public Optional<StoredFile> find(FileKey key) {
        return timer.timed("find", () -> store.find(key));
    }

    @Override
    public List<StoredFile> list(StagingArea area) {
        return timer.timed("list", () -> store.list(area));
    }

    @Override
    public List<StoredFile> listPage(StagingArea area, String after, int limit, NameGlob names) {
        return timer.timed("list_page", () -> store.listPage(area, after, limit, names));
    }

    @Override
    public long usedBytes(StagingArea area) {
        long used = timer.timed("used_bytes", () -> store.usedBytes(area));
        areas.read(area, used);
        return used;
    }

    @Override
    public Optional<StoredContent> open(FileKey key, ByteRange range) {
        return timer.timed("open", () -> store.open(key, range));
    }

    @Override
    public Optional<StoredFile> delete(FileKey key) {
        try {
            return timer.timed("delete", () -> store.delete(key));
        } finally {
            areas.used(key.area());
        }
    }

    @Override
    public Optional<StoredFile> delete(FileKey key, UUID id) {
        try {
            return timer.timed("delete", () -> store.delete(key, id));
        } finally {
            areas.used(key.area());
        }
    }
}
