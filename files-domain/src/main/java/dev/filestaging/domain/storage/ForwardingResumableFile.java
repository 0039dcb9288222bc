package dev.filestaging.domain.storage;

import dev.filestaging.ports.StoredFile;
import dev.filestaging.ports.out.UploadTicket;
import java.io.InputStream;

/** An open upload that passes every call to another: for decorators (meters, injected faults) that change a few. */
public abstract class ForwardingResumableFile implements ResumableFile {
    protected final ResumableFile file;

    protected ForwardingResumableFile(ResumableFile file) {
        this.file = file;
    }

    @Override
    public UploadTicket ticket() {
        return file.ticket();
    }

    @Override
    public long offset() {
        return file.offset();
    }

    @Override
    public void write(byte[] buffer, int offset, int length) {
        file.write(buffer, offset, length);
    }

    @Override
    public long sync() {
        return file.sync();
    }

    @Override
    public void rollback() {
        file.rollback();
    }

    @Override
    public InputStream readDurable() {
        return file.readDurable();
    }

    @Override
    public void declareLength(long length) {
        file.declareLength(length);
    }

    @Override
    public void keepUntil(java.time.Instant expires) {
        file.keepUntil(expires);
    }

    @Override
    public CommitOutcome commit(StoredFile metadata) {
        return file.commit(metadata);
    }

    @Override
    public void terminate() {
        file.terminate();
    }

    @Override
    public void close() {
        file.close();
    }
}
