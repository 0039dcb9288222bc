package dev.filestaging.ports;

import java.util.Arrays;
import java.util.Optional;

/** Data formats that ingestion reads, with the names the Polaris API uses on the wire. */
public enum DataFormat {
    ND_JSON("nd-json"),
    CSV("csv"),
    TSV("tsv"),
    PARQUET("parquet"),
    ORC("orc"),
    AVRO_OCF("avro_ocf");

    private final String wireName;

    DataFormat(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The format with this wire name (case-insensitive), or empty when there is none. */
    public static Optional<DataFormat> fromWireName(String name) {
        return Arrays.stream(values()).filter(f -> f.wireName.equalsIgnoreCase(name)).findFirst();
    }
}
