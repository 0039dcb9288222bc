package dev.filestaging.domain;

import dev.filestaging.ports.DataFormat;
import java.util.Optional;

/** Recognises data formats from (decompressed) content and from file extensions. */
final class DataFormatSniffer {

    /** Binary formats have signatures that decide, whatever the name says. */
    Optional<DataFormat> fromSignature(ContentPrefix prefix) {
        if (prefix.hasAsciiAt(0, "PAR1")) {
            return Optional.of(DataFormat.PARQUET);
        }
        if (prefix.hasAsciiAt(0, "ORC")) {
            return Optional.of(DataFormat.ORC);
        }
        if (prefix.startsWith('O', 'b', 'j', 0x01)) {
            return Optional.of(DataFormat.AVRO_OCF);
        }
        return Optional.empty();
    }

    Optional<DataFormat> fromExtension(String fileNameWithoutCompression) {
        return Optional.ofNullable(switch (CompressionSignatures.extensionOf(fileNameWithoutCompression)) {
            case "json", "ndjson", "jsonl" -> DataFormat.ND_JSON;
            case "csv" -> DataFormat.CSV;
            case "tsv", "tab" -> DataFormat.TSV;
            case "parquet" -> DataFormat.PARQUET;
            case "orc" -> DataFormat.ORC;
            case "avro" -> DataFormat.AVRO_OCF;
            default -> null;
        });
    }

    /**
     * Text formats by their look: a JSON object first means newline-delimited JSON; otherwise the first line's
     * separators tell TSV from CSV. Binary content (NUL or other control bytes) is none of them.
     */
    Optional<DataFormat> fromText(ContentPrefix prefix) {
        byte[] bytes = prefix.bytes();
        int start = Bom.startsWithUtf8Bom(prefix) ? 3 : 0;
        int firstLineEnd = bytes.length;
        for (int i = start; i < bytes.length; i++) {
            int b = bytes[i] & 0xFF;
            if (b == '\n' && firstLineEnd == bytes.length) {
                firstLineEnd = i;
            }
            if (b < 0x20 && b != '\n' && b != '\r' && b != '\t') {
                return Optional.empty();
            }
        }
        int first = start;
        while (first < bytes.length && Character.isWhitespace(bytes[first])) {
            first++;
        }
        if (first < bytes.length && bytes[first] == '{') {
            return Optional.of(DataFormat.ND_JSON);
        }
        int tabs = 0;
        int commas = 0;
        for (int i = start; i < firstLineEnd; i++) {
            if (bytes[i] == '\t') {
                tabs++;
            } else if (bytes[i] == ',') {
                commas++;
            }
        }
        if (tabs > 0 && tabs >= commas) {
            return Optional.of(DataFormat.TSV);
        }
        return commas > 0 ? Optional.of(DataFormat.CSV) : Optional.empty();
    }

    /** The UTF-8 byte-order mark, which breaks ingestion. */
    static final class Bom {
        private Bom() {}

        static boolean startsWithUtf8Bom(ContentPrefix prefix) {
            return prefix.startsWith(0xEF, 0xBB, 0xBF);
        }
    }
}
