package dev.filestaging.ports.out.catalog;

/** What reserving a name for a new upload came to. */
public sealed interface Reservation {

    /** The upload is recorded and holds its name. */
    record Reserved(UploadEntry upload) implements Reservation {}

    /** A committed file or another open upload holds the name. Nothing was recorded. */
    record NameTaken() implements Reservation {}

    /** The area's usage with what the upload holds would pass the byte limit the caller gave. */
    record OverLimit(AreaUsage usage) implements Reservation {}

    /** The area has as many open uploads as the caller allows. */
    record TooManyOpen(AreaUsage usage) implements Reservation {}
}
