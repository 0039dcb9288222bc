package dev.filestaging.ports.in;

import dev.filestaging.ports.FileKey;
import java.time.Instant;
import java.util.UUID;

/** The verdict on a signed link's token, before any file is read. */
public sealed interface LinkCheck {

    /** A link this service signed, not expired, to version {@code fileId} of the file under {@code key}. */
    record Valid(FileKey key, UUID fileId, Instant expiresAt) implements LinkCheck {}

    /** Not a link this service signed: malformed, altered, or signed with a key nobody here has. */
    record Invalid(String reason) implements LinkCheck {}

    record Expired(Instant expiredAt) implements LinkCheck {}
}
