package dev.filestaging.ports;

import java.util.Arrays;
import java.util.Optional;

/** Compression formats that ingestion reads, with the names the Polaris API uses on the wire. */
public enum CompressionFormat {
    GZ("gz"),
    BZ2("bz2"),
    XZ("xz"),
    ZSTD("zstd"),
    /** Snappy framing format. */
    SZ("sz");

    private final String wireName;

    CompressionFormat(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The format with this wire name (case-insensitive), or empty when there is none. */
    public static Optional<CompressionFormat> fromWireName(String name) {
        return Arrays.stream(values()).filter(f -> f.wireName.equalsIgnoreCase(name)).findFirst();
    }
}
