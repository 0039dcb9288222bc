package dev.filestaging.ports.in;

import java.time.Instant;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Where a resumable upload stands.
 *
 * @param name   the staged name the file will have
 * @param offset the bytes received and durable
 * @param length the upload's length, or empty while the client has not said it
 * @param staged whether the upload is over: its last byte arrived and the file is staged under {@code name}
 */
public record ResumableState(String id, String name, long offset, OptionalLong length, Map<String, String> metadata,
                             Instant expires, boolean staged) {
    public ResumableState {
        metadata = Map.copyOf(metadata);
    }
}
