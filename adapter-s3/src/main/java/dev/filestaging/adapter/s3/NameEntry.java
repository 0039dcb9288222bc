package dev.filestaging.adapter.s3;

/**
 * What a name's key in the bucket holds: a staged file's {@link NameRecord}, or the {@link NameReservation} of a
 * resumable upload that will stage a file under that name. Both are created with {@code If-None-Match: *}, so one
 * conditional write decides between a one-request upload and a resumable one, on any number of instances.
 */
sealed interface NameEntry permits NameRecord, NameReservation {
    String key();
}
