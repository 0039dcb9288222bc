package dev.filestaging.adapter.jersey.files;

import dev.filestaging.ports.StoredFile;

/**
 * {@code If-Range} (RFC 9110 §13.1.5): a client resuming a download sends the validator of the version it has; the
 * range is served only if the file is still that version, otherwise the whole current file is sent.
 *
 * <p>Only a strong ETag can say so. A date never does: {@code Last-Modified} has whole seconds, and a name can get a
 * new version in the same second (upload, delete, upload again), whose bytes a date would splice onto the old
 * version's. §13.1.5 lets a server treat a date as a match only if it is a strong validator (§8.8.2.2), which needs the
 * server to know the file did not change twice in that second; nothing here records that, so a date is never strong.
 * The client then gets the whole file, which is always correct. Anything that is not exactly one entity tag
 * ({@code "tag"garbage}, a list) is malformed and does not match either.
 */
final class IfRange {
    private IfRange() {}

    /** Whether the range may be served: no {@code If-Range}, or one that is exactly this version's strong ETag. */
    static boolean holds(String header, StoredFile file) {
        if (header == null) {
            return true;
        }
        return EntityTags.single(header).map(tag -> tag.strongMatch(file)).orElse(false);
    }
}
