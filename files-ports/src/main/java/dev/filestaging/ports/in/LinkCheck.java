package dev.filestaging.ports.in;

import dev.filestaging.ports.FileKey;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Function;

/** The verdict on a signed link's token, before any file is read. */
public sealed interface LinkCheck {

    /** Exhaustive handling: a new verdict is a compile error where verdicts are handled. */
    <R> R fold(Function<Valid, R> valid, Function<Invalid, R> invalid, Function<Expired, R> expired);

    /** A link this service signed, not expired, to version {@code fileId} of the file under {@code key}. */
    record Valid(FileKey key, UUID fileId, Instant expiresAt) implements LinkCheck {
        @Override
        public <R> R fold(Function<Valid, R> valid, Function<Invalid, R> invalid, Function<Expired, R> expired) {
            return valid.apply(this);
        }
    }

    /** Not a link this service signed: malformed, altered, or signed with a key nobody here has. */
    record Invalid(String reason) implements LinkCheck {
        @Override
        public <R> R fold(Function<Valid, R> valid, Function<Invalid, R> invalid, Function<Expired, R> expired) {
            return invalid.apply(this);
        }
    }

    record Expired(Instant expiredAt) implements LinkCheck {
        @Override
        public <R> R fold(Function<Valid, R> valid, Function<Invalid, R> invalid, Function<Expired, R> expired) {
            return expired.apply(this);
        }
    }
}
