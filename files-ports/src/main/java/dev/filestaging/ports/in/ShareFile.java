package dev.filestaging.ports.in;

import dev.filestaging.ports.ByteRange;
import dev.filestaging.ports.Principal;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.StoredContent;
import dev.filestaging.ports.StoredFile;
import java.time.Duration;
import java.util.Optional;

/**
 * Use case: signed links, for readers that cannot send credentials (a query engine's {@code url()}, a browser link).
 * A link reads one version of one file, without credentials, until it expires; every instance sharing the storage
 * accepts the links of the others.
 */
public interface ShareFile {

    /**
     * A link to the current version of the file, valid for {@code lifetime}.
     *
     * @throws AccessDeniedException the principal may not read that area
     */
    ShareOutcome share(Principal principal, StagingArea area, String name, Duration lifetime);

    /** The longest lifetime {@link #share} accepts (the operator's {@code FILES_LINK_MAX_LIFETIME_SECONDS}). */
    Duration maximumLifetime();

    /** The lifetime of a link whose request names none: an hour, or the maximum when that is shorter. */
    Duration defaultLifetime();

    /** Whether {@code token} is a link this service made and that has not expired. Reads no file. */
    LinkCheck check(String token);

    /** {@code range} of the linked version, or empty when that version is gone (deleted, or replaced by another). */
    Optional<StoredContent> open(LinkCheck.Valid link, ByteRange range);

    /** The linked version's metadata, or empty when it is gone. */
    Optional<StoredFile> find(LinkCheck.Valid link);
}
