package dev.filestaging.ports.events;

import dev.filestaging.ports.FileKey;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.StoredFile;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One entry of an area's change log: a file committed, deleted or expired, or an open upload expired. Entries of an
 * area are numbered 1, 2, 3... with no gap, in the order the changes took effect, and each is recorded in the same
 * atomic step as its change: there is never a change without its entry, nor an entry without its change. The log is
 * the transactional outbox of the area's events.
 *
 * @param sequence the entry's number in its area's log
 * @param at       when the catalog recorded it
 * @param file     the version committed, deleted or expired; null for {@link Kind#UPLOAD_EXPIRED}
 * @param upload   the upload that expired, for {@link Kind#UPLOAD_EXPIRED}; null otherwise
 */
public record Change(long sequence, Kind kind, Instant at, StoredFile file, ExpiredUpload upload) {

    /** What changed, with the event type clients see. */
    public enum Kind {
        COMMITTED("file.committed"),
        DELETED("file.deleted"),
        EXPIRED("file.expired"),
        UPLOAD_EXPIRED("upload.expired");

        private final String type;

        Kind(String type) {
            this.type = type;
        }

        /** The event type, as in CloudEvents' {@code type}. */
        public String type() {
            return type;
        }

        /** The kind whose {@link #type()} this is. */
        public static java.util.Optional<Kind> ofType(String type) {
            for (Kind kind : values()) {
                if (kind.type.equals(type)) {
                    return java.util.Optional.of(kind);
                }
            }
            return java.util.Optional.empty();
        }
    }

    /**
     * An open upload ended by its expiry before its last byte.
     *
     * @param receivedBytes what was durable when it expired
     * @param length        its declared length, or {@code -1} (deferred)
     */
    public record ExpiredUpload(String id, FileKey key, long receivedBytes, long length, String uploadedBy,
                                Instant created) {
        public ExpiredUpload {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(uploadedBy, "uploadedBy");
            Objects.requireNonNull(created, "created");
        }

        /** Its declared length; empty while it was deferred. */
        public java.util.OptionalLong declaredLength() {
            return length < 0 ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(length);
        }
    }

    public Change {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(at, "at");
        if (sequence < 1) {
            throw new IllegalArgumentException("change-log entries are numbered from 1, got " + sequence);
        }
        if ((kind == Kind.UPLOAD_EXPIRED) != (upload != null) || (file == null) == (upload == null)) {
            throw new IllegalArgumentException("a " + kind + " entry has "
                    + (kind == Kind.UPLOAD_EXPIRED ? "an upload and no file" : "a file and no upload"));
        }
    }

    /** A file committed, deleted or expired. */
    public static Change ofFile(long sequence, Kind kind, StoredFile file, Instant at) {
        return new Change(sequence, kind, at, Objects.requireNonNull(file, "file"), null);
    }

    /** An open upload expired. */
    public static Change ofUpload(long sequence, ExpiredUpload upload, Instant at) {
        return new Change(sequence, Kind.UPLOAD_EXPIRED, at, null, Objects.requireNonNull(upload, "upload"));
    }

    /** The name it is about. */
    public FileKey key() {
        return file != null ? file.key() : upload.key();
    }

    public StagingArea area() {
        return key().area();
    }

    /**
     * The event's id: the same for the same entry whenever and by whichever process it is read (so receivers can
     * remove duplicates by it), and different for an entry with the same number in a catalog made anew (its time
     * differs).
     */
    public String eventId() {
        String identity = area().organization().value() + '\u0000' + area().project().value() + '\u0000' + sequence
                + '\u0000' + at.getEpochSecond() + '.' + at.getNano();
        return "evt_" + UUID.nameUUIDFromBytes(identity.getBytes(StandardCharsets.UTF_8)).toString().replace("-", "");
    }
}
