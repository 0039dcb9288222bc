package dev.filestaging.adapter.localfs;

import dev.filestaging.ports.FileKey;
import dev.filestaging.ports.out.ResumableUploads;
import dev.filestaging.ports.out.UploadTicket;
import dev.filestaging.storage.records.UploadTicketRecord;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Resumable uploads on local disk, each in its own directory {@code uploads/{id}/} with its bytes ({@code content})
 * and its ticket and durable offset ({@code upload.properties}, replaced atomically at every sync). They survive
 * restarts: the next start reads them back, cutting any bytes written after the last sync. Reservations and writers
 * are kept in memory, which is enough: one process at a time owns a data directory.
 */
final class LocalResumableUploads implements ResumableUploads {
    private static final System.Logger LOG = System.getLogger(LocalResumableUploads.class.getName());
    static final String RECORD = "upload.properties";

    private final DataDirectory directory;
    private final LocalFsStagingStore store;
    /** Every open upload by id, with its durable offset. */
    private final Map<String, UploadStatus> open = new ConcurrentHashMap<>();
    private final Map<FileKey, String> reservations = new ConcurrentHashMap<>();
    private final Set<String> writing = ConcurrentHashMap.newKeySet();
    /** Committed uploads until their tickets expire, each also a file {@code uploads/{id}.staged}. */
    private final Map<String, UploadTicket> staged = new ConcurrentHashMap<>();
    static final String STAGED_SUFFIX = ".staged";

    LocalResumableUploads(DataDirectory directory, LocalFsStagingStore store) {
        this.directory = directory;
        this.store = store;
    }

    /** Reads back the uploads an earlier process left open. */
    void load() throws IOException {
        loadUploads();
        for (String id : List.copyOf(staged.keySet())) {
            if (open.containsKey(id)) { // marked before a publish that a crash cut short: the upload is still open
                staged.remove(id);
                Files.deleteIfExists(stagedMarker(id));
            }
        }
    }

    private void loadUploads() throws IOException {
        Files.createDirectories(directory.uploads());
        try (Stream<Path> uploads = Files.list(directory.uploads())) {
            for (Path upload : (Iterable<Path>) uploads::iterator) {
                if (upload.getFileName().toString().endsWith(STAGED_SUFFIX)) {
                    loadStaged(upload);
                    continue;
                }
                try {
                    UploadTicketRecord record = UploadTicketRecord.decode(Files.readAllBytes(upload.resolve(RECORD)));
                    cutBack(upload.resolve(DataDirectory.CONTENT), record.offset());
                    remember(record.ticket(), record.offset());
                } catch (IOException | RuntimeException unreadable) {
                    // created but never recorded (a crash at creation), or damaged: nothing acknowledged lives here
                    LOG.log(Level.WARNING, "removing {0}: {1}", upload, unreadable.getMessage());
                    DurableFiles.deleteRecursively(upload);
                }
            }
        }
    }

    /** Bytes past the recorded offset were never acknowledged: they go at start-up, not when the upload is next used. */
    private static void cutBack(Path content, long offset) {
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(content,
                java.nio.file.StandardOpenOption.WRITE)) {
            if (channel.size() > offset) {
                channel.truncate(offset);
                channel.force(false);
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "could not cut {0} back to {1} bytes: {2}", content, offset, e.getMessage());
        }
    }

    private void loadStaged(Path marker) {
        try {
            UploadTicket ticket = UploadTicketRecord.decode(Files.readAllBytes(marker)).ticket();
            staged.put(ticket.id(), ticket);
        } catch (IOException | RuntimeException unreadable) {
            LOG.log(Level.WARNING, "removing {0}: {1}", marker, unreadable.getMessage());
            try {
                Files.deleteIfExists(marker);
            } catch (IOException e) {
                // tried again at the next start
            }
        }
    }

    @Override
    public Optional<UploadTicket> reserve(UploadTicket ticket) {
        Path upload = directory.uploads().resolve(ticket.id());
        synchronized (store.areaMonitor(ticket.key().area())) {
            if (store.find(ticket.key()).isPresent() || reservations.containsKey(ticket.key())) {
                return Optional.empty();
            }
            try {
                Files.createDirectory(upload);
                Files.createFile(upload.resolve(DataDirectory.CONTENT));
                DurableFiles.writeAndSync(upload.resolve(RECORD), new UploadTicketRecord(ticket, 0).encode());
                DurableFiles.syncDirectory(upload);
                DurableFiles.syncDirectory(directory.uploads());
            } catch (IOException e) {
                store.discard(upload);
                throw IoErrors.translate("record the upload of " + ticket.key().name(), e);
            }
            remember(ticket, 0);
        }
        return Optional.of(ticket);
    }

    @Override
    public Optional<UploadStatus> status(String uploadId) {
        return Optional.ofNullable(open.get(uploadId));
    }

    @Override
    public Opened openForWriting(String uploadId) {
        UploadStatus status = open.get(uploadId);
        if (status == null) {
            return new Opened.Gone();
        }
        if (!writing.add(uploadId)) {
            return new Opened.Busy();
        }
        try {
            status = open.get(uploadId); // it may have ended between the look-up and the lock
            if (status == null) {
                writing.remove(uploadId);
                return new Opened.Gone();
            }
            return new Opened.Writing(new LocalResumableFile(this, directory.uploads().resolve(uploadId), status,
                    store.syncBehind()));
        } catch (IOException e) {
            writing.remove(uploadId);
            throw IoErrors.translate("open the upload " + uploadId, e);
        } catch (RuntimeException e) {
            writing.remove(uploadId);
            throw e;
        }
    }

    @Override
    public Optional<UploadTicket> staged(String uploadId) {
        return Optional.ofNullable(staged.get(uploadId));
    }

    @Override
    public boolean isReserved(FileKey key) {
        return reservations.containsKey(key);
    }

    @Override
    public long openCount() {
        return open.size();
    }

    @Override
    public long openCount(dev.filestaging.ports.StagingArea area) {
        return open.values().stream().filter(status -> status.ticket().key().area().equals(area)).count();
    }

    @Override
    public long heldBytes(dev.filestaging.ports.StagingArea area) {
        return open.values().stream().filter(status -> status.ticket().key().area().equals(area))
                .mapToLong(ResumableUploads::held).sum();
    }

    /** Whether {@code key} is reserved by an upload other than {@code uploadId} (null: any upload). */
    boolean reservedByAnother(FileKey key, String uploadId) {
        String holder = reservations.get(key);
        return holder != null && !holder.equals(uploadId);
    }

    @Override
    public List<UploadTicket> expire(Instant now) {
        List<UploadTicket> expired = new ArrayList<>();
        for (UploadStatus status : List.copyOf(open.values())) {
            String id = status.ticket().id();
            if (status.ticket().expires().isBefore(now) && writing.add(id)) {
                try {
                    ended(status.ticket(), directory.uploads().resolve(id));
                    expired.add(status.ticket());
                } finally {
                    writing.remove(id);
                }
            }
        }
        for (UploadTicket ticket : List.copyOf(staged.values())) {
            if (ticket.expires().isBefore(now)) {
                staged.remove(ticket.id());
                try {
                    Files.deleteIfExists(stagedMarker(ticket.id()));
                } catch (IOException e) {
                    LOG.log(Level.WARNING, "could not remove {0}: {1}", stagedMarker(ticket.id()), e.getMessage());
                }
            }
        }
        return expired;
    }

    void synced(UploadTicket ticket, long offset) {
        open.put(ticket.id(), new UploadStatus(ticket, offset));
    }

    /** The upload became a staged file: its directory is the file's now. Called under the area's monitor. */
    void committed(UploadTicket ticket) {
        open.remove(ticket.id());
        reservations.remove(ticket.key(), ticket.id());
    }

    /**
     * Marks an upload as staged, before its publish: a crash right after the publish then still tells the client
     * where its file is (a marker whose upload is still open at the next start is removed). The directory sync of
     * the publish makes it durable.
     */
    void markStaged(UploadTicket ticket) throws IOException {
        Files.deleteIfExists(stagedMarker(ticket.id())); // left by a commit that a crash cut short
        DurableFiles.writeAndSync(stagedMarker(ticket.id()),
                new UploadTicketRecord(ticket, Math.max(0, ticket.length())).encode());
    }

    /** The publish did not happen: the marker goes. */
    void unmarkStaged(UploadTicket ticket) {
        try {
            Files.deleteIfExists(stagedMarker(ticket.id()));
        } catch (IOException e) {
            LOG.log(Level.WARNING, "could not remove {0}; the next start does: {1}", stagedMarker(ticket.id()),
                    e.getMessage());
        }
    }

    /** Remembers a committed upload until its ticket expires, so that a client asking after the end learns it. */
    void rememberStaged(UploadTicket ticket) {
        staged.put(ticket.id(), ticket);
    }

    private Path stagedMarker(String uploadId) {
        return directory.uploads().resolve(uploadId + STAGED_SUFFIX);
    }

    /** Terminated or expired: the bytes go, the name is free. */
    void ended(UploadTicket ticket, Path upload) {
        synchronized (store.areaMonitor(ticket.key().area())) {
            open.remove(ticket.id());
            reservations.remove(ticket.key(), ticket.id());
        }
        Path trashEntry = directory.newTrashEntry();
        try {
            Files.move(upload, trashEntry);
        } catch (NoSuchFileException gone) {
            return;
        } catch (IOException e) {
            throw IoErrors.translate("discard the upload " + ticket.id(), e);
        }
        store.discard(trashEntry);
    }

    void released(String uploadId) {
        writing.remove(uploadId);
    }

    LocalFsStagingStore store() {
        return store;
    }

    private void remember(UploadTicket ticket, long offset) {
        open.put(ticket.id(), new UploadStatus(ticket, offset));
        reservations.put(ticket.key(), ticket.id());
    }
}
