package dev.filestaging.ports.out.catalog;

/** What asking for an upload's lease came to. */
public sealed interface LeaseOutcome {

    /** Granted: {@code upload} is its state as recorded when the lease was granted. */
    record Leased(Lease lease, UploadEntry upload) implements LeaseOutcome {}

    /** Another writer holds a lease that has not lapsed. */
    record Busy() implements LeaseOutcome {}

    /** No open upload with that id (never created, committed, terminated or expired). */
    record Gone() implements LeaseOutcome {}
}
