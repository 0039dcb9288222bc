package dev.filestaging.adapter.s3.legacy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Properties;

/** A name record that holds a name for an open tus upload instead of a file: a properties document with reservedBy. */
final class LegacyReservation {
    private LegacyReservation() {
    }

    /** The id of the upload these bytes reserve the name for, or empty when they are something else. */
    static Optional<String> decode(byte[] bytes) {
        Properties p = new Properties();
        try {
            p.load(new InputStreamReader(new ByteArrayInputStream(bytes), StandardCharsets.UTF_8));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
        return Optional.ofNullable(p.getProperty("reservedBy"));
    }
}
