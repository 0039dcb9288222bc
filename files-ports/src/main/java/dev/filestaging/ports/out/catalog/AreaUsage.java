package dev.filestaging.ports.out.catalog;

/**
 * What an area holds, exact, as of one atomic step of the catalog.
 *
 * @param usedBytes   the sum of the sizes of its committed files
 * @param files       how many committed files it has
 * @param heldBytes   what its open uploads hold against its quota (see
 *                    {@link dev.filestaging.ports.out.UploadTicket#heldAt})
 * @param openUploads how many uploads of it are open
 */
public record AreaUsage(long usedBytes, long files, long heldBytes, long openUploads) {
    public static final AreaUsage EMPTY = new AreaUsage(0, 0, 0, 0);

    public AreaUsage {
        if (usedBytes < 0 || files < 0 || heldBytes < 0 || openUploads < 0) {
            throw new IllegalArgumentException("usage figures are never negative: " + usedBytes + ", " + files + ", "
                    + heldBytes + ", " + openUploads);
        }
    }
}
