package dev.filestaging.ports.out.catalog;

import java.util.Objects;

/**
 * The right to write one upload, held by one writer at a time across every process sharing the catalog, until it is
 * released or lapses. Every change made under a lease names it; once another writer has taken the upload over (after
 * the lease lapsed), changes under the old lease are refused, so a writer that was cut off and comes back cannot
 * overwrite what the new one recorded.
 *
 * @param uploadId the upload
 * @param token    distinct for every grant of the upload's lease (a fencing token)
 */
public record Lease(String uploadId, long token) {
    public Lease {
        Objects.requireNonNull(uploadId, "uploadId");
    }
}
