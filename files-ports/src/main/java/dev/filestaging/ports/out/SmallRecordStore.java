package dev.filestaging.ports.out;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Small text records kept where the files are (the data directory, or the bucket), so that every process sharing the
 * storage shares them too: OAuth clients, token signing keys.
 *
 * <p>Contract: a {@link #write} is durable and atomic when it returns (readers see the old or the new text, never a
 * mix) and visible to every process reading the same storage; records are few and small (kilobytes).
 * Namespaces and keys match {@link #NAME}. Failures of the storage are {@link StorageException}s.
 */
public interface SmallRecordStore {

    Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    Optional<String> read(String namespace, String key);

    void write(String namespace, String key, String text);

    /** Every record of the namespace, by key. */
    Map<String, String> readAll(String namespace);

    static String checkedName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("record names are 1-128 characters of [A-Za-z0-9._-], got '" + name + "'");
        }
        return name;
    }
}
