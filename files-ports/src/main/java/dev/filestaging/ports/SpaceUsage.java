package dev.filestaging.ports;

/** The quota of one staging area as Polaris reports it in listings. */
public record SpaceUsage(long allocatedBytes, long usedBytes) {
    public SpaceUsage {
        if (allocatedBytes < 0 || usedBytes < 0) {
            throw new IllegalArgumentException("space figures must not be negative");
        }
    }

    /** Never negative, also when the quota was lowered below what is already stored. */
    public long remainingBytes() {
        return Math.max(0, allocatedBytes - usedBytes);
    }
}
