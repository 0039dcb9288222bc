package dev.filestaging.adapter.localfs;

import dev.filestaging.ports.FileKey;
import dev.filestaging.ports.StoredFile;
import dev.filestaging.ports.out.CommitOutcome;
import dev.filestaging.ports.out.PendingFile;
import dev.filestaging.storage.records.StoredFileRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/** A file being written into its own directory under tmp/, which a commit renames into place whole. */
final class LocalPendingFile implements PendingFile {

    private enum State { WRITING, COMMITTED, DISCARDED }

    private final LocalFsStagingStore store;
    private final FileKey key;
    private final Path directory;
    private final FileChannel content;
    private final SyncBehind.Tracker syncBehind;
    private State state = State.WRITING;

    LocalPendingFile(LocalFsStagingStore store, FileKey key, Path directory, SyncBehind syncBehind) throws IOException {
        this.store = store;
        this.key = key;
        this.directory = directory;
        this.content = FileChannel.open(directory.resolve(DataDirectory.CONTENT),
                StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        this.syncBehind = syncBehind.track(content);
    }

    @Override
    public void write(byte[] buffer, int offset, int length) {
        requireWriting();
        ByteBuffer bytes = ByteBuffer.wrap(buffer, offset, length);
        try {
            while (bytes.hasRemaining()) {
                content.write(bytes);
            }
            syncBehind.wrote(length);
        } catch (IOException e) {
            close();
            throw IoErrors.translate("write " + key.name(), e);
        }
    }

    @Override
    public CommitOutcome commit(StoredFile metadata) {
        requireWriting();
        if (!metadata.key().equals(key)) {
            throw new IllegalArgumentException("metadata is for " + metadata.key() + ", not " + key);
        }
        try {
            content.force(true);
            content.close();
            DurableFiles.writeAndSync(directory.resolve(DataDirectory.METADATA), new StoredFileRecord(metadata, Map.of()).encode());
            DurableFiles.syncDirectory(directory);
            CommitOutcome outcome = store.publish(directory, metadata);
            if (outcome instanceof CommitOutcome.Committed) {
                state = State.COMMITTED;
            }
            return outcome;
        } catch (IOException e) {
            throw IoErrors.translate("commit " + key.name(), e);
        } finally {
            close();
        }
    }

    @Override
    public void close() {
        if (state != State.WRITING) {
            return;
        }
        state = State.DISCARDED;
        try {
            content.close();
        } catch (IOException ignored) {
            // the directory goes below anyway
        }
        store.discard(directory);
    }

    private void requireWriting() {
        if (state != State.WRITING) {
            throw new IllegalStateException("the pending file for " + key.name() + " is " + state.name().toLowerCase());
        }
    }
}
