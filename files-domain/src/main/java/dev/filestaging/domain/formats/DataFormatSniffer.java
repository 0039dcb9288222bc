package dev.filestaging.domain.formats;

import dev.filestaging.ports.DataFormat;
import java.util.Optional;

/** Recognises data formats from (decompressed) content and from file extensions. */
final class DataFormatSniffer {

    /**
     * Binary formats have signatures that decide, whatever the name says. Parquet's {@code PAR1} and ORC's
     * {@code ORC} are also how text can start ({@code ORCID,name}), and their footers are out of sight of a prefix, so
     * they count only when binary data follows them: both formats go on with Thrift or protobuf bytes, never text.
     */
    Optional<DataFormat> fromSignature(ContentPrefix prefix) {
        if (prefix.hasAsciiAt(0, "PAR1") && !isText(prefix)) {
            return Optional.of(DataFormat.PARQUET);
        }
        if (prefix.hasAsciiAt(0, "ORC") && !isText(prefix)) {
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
        if (!isText(prefix)) {
            return Optional.empty();
        }
        byte[] bytes = prefix.bytes();
        int start = Bom.startsWithUtf8Bom(prefix) ? 3 : 0;
        int firstLineEnd = bytes.length;
        for (int i = start; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                firstLineEnd = i;
                break;
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

    /** No control bytes but line ends and tabs: what text looks like, in any ASCII-compatible encoding. */
    static boolean isText(ContentPrefix prefix) {
        for (byte b : prefix.bytes()) {
            int c = b & 0xFF;
            if ((c < 0x20 && c != '\n' && c != '\r' && c != '\t') || c == 0x7F) {
                return false;
            }
        }
        return true;
    }

    /** The UTF-8 byte-order mark, which breaks ingestion. */
    static final class Bom {
        private Bom() {}

        static boolean startsWithUtf8Bom(ContentPrefix prefix) {
            return prefix.startsWith(0xEF, 0xBB, 0xBF);
        }
    }
}
