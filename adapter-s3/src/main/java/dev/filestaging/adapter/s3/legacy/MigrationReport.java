package dev.filestaging.adapter.s3.legacy;

import java.util.ArrayList;
import java.util.List;

/**
 * What one run of {@link LegacyMigration} did. Counts are of this run: a second run after a complete one copies
 * nothing and finds everything unchanged.
 *
 * @param conflicts         files not copied because the catalog holds their name otherwise, one line each
 * @param expiredUploads    open uploads past their expiry, not imported, one line each
 * @param unimportedUploads open uploads that could not be imported, one line each (by id and name)
 * @param complete          whether nothing is left to do: no conflict, and every open upload imported (or
 *                          {@code skipUnimportedUploads} was asked)
 */
public record MigrationReport(long filesCopied, long filesUnchanged, long bytesCopied, List<String> conflicts,
                              long uploadsImported, long uploadsUnchanged, long uploadBytes, long finishedUploads,
                              List<String> expiredUploads, List<String> unimportedUploads, long recordsCopied,
                              long recordsUnchanged, long recordsKept, boolean complete) {

    public MigrationReport {
        conflicts = List.copyOf(conflicts);
        expiredUploads = List.copyOf(expiredUploads);
        unimportedUploads = List.copyOf(unimportedUploads);
    }

    /** Whether this run wrote anything. */
    public boolean changedAnything() {
        return filesCopied + uploadsImported + recordsCopied > 0;
    }

    /** The report as the command prints it, one fact a line. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add("files: " + filesCopied + " copied (" + bytesCopied + " bytes, inside the store), "
                + filesUnchanged + " already in the catalog, " + conflicts.size() + " in conflict");
        conflicts.forEach(c -> lines.add("  conflict: " + c));
        lines.add("open uploads: " + uploadsImported + " imported (" + uploadBytes + " acknowledged bytes), "
                + uploadsUnchanged + " already in the catalog, " + expiredUploads.size() + " expired, "
                + unimportedUploads.size() + " not imported; " + finishedUploads + " finished uploads' notes not"
                + " carried (HEAD of their URLs now answers 404)");
        expiredUploads.forEach(u -> lines.add("  expired: " + u));
        unimportedUploads.forEach(u -> lines.add("  not imported: " + u));
        lines.add("small records (API keys, OAuth clients, signing and link keys): " + recordsCopied + " copied, "
                + recordsUnchanged + " already in the catalog, " + recordsKept + " kept as the catalog has them");
        return lines;
    }

    static final class Builder {
        long filesCopied;
        long filesUnchanged;
        long bytesCopied;
        final List<String> conflicts = new ArrayList<>();
        long uploadsImported;
        long uploadsUnchanged;
        long uploadBytes;
        long finishedUploads;
        final List<String> expiredUploads = new ArrayList<>();
        final List<String> unimportedUploads = new ArrayList<>();
        long recordsCopied;
        long recordsUnchanged;
        long recordsKept;

        MigrationReport build(boolean skipUnimportedUploads) {
            boolean complete = conflicts.isEmpty() && (unimportedUploads.isEmpty() || skipUnimportedUploads);
            return new MigrationReport(filesCopied, filesUnchanged, bytesCopied, conflicts, uploadsImported,
                    uploadsUnchanged, uploadBytes, finishedUploads, expiredUploads, unimportedUploads, recordsCopied,
                    recordsUnchanged, recordsKept, complete);
        }
    }
}
