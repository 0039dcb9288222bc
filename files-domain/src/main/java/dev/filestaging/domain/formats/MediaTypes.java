package dev.filestaging.domain.formats;

import dev.filestaging.ports.CompressionFormat;
import dev.filestaging.ports.DataFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * What a client-declared media type says about a file. Clients guess media types from names (curl, browsers) or set
 * them by hand (Python's {@code files={'file': (name, f, 'text/csv')}}), so they rank below content and name.
 */
final class MediaTypes {

    Optional<CompressionFormat> compression(String mediaType) {
        return Optional.ofNullable(switch (essence(mediaType)) {
            case "application/gzip", "application/x-gzip" -> CompressionFormat.GZ;
            case "application/x-bzip2", "application/x-bzip" -> CompressionFormat.BZ2;
            case "application/x-xz" -> CompressionFormat.XZ;
            case "application/zstd", "application/x-zstd" -> CompressionFormat.ZSTD;
            case "application/x-snappy-framed" -> CompressionFormat.SZ;
            default -> null;
        });
    }

    Optional<DataFormat> dataFormat(String mediaType) {
        return Optional.ofNullable(switch (essence(mediaType)) {
            case "application/x-ndjson", "application/ndjson", "application/jsonl", "application/json-seq",
                    "application/json" -> DataFormat.ND_JSON;
            case "text/csv" -> DataFormat.CSV;
            case "text/tab-separated-values" -> DataFormat.TSV;
            case "application/vnd.apache.parquet", "application/x-parquet" -> DataFormat.PARQUET;
            case "application/x-orc", "application/vnd.apache.orc" -> DataFormat.ORC;
            case "avro/binary", "application/avro", "application/vnd.apache.avro+binary" -> DataFormat.AVRO_OCF;
            default -> null;
        });
    }

    /** "Text/CSV; charset=utf-8" gives "text/csv"; null gives "". */
    private static String essence(String mediaType) {
        if (mediaType == null) {
            return "";
        }
        int semicolon = mediaType.indexOf(';');
        return (semicolon < 0 ? mediaType : mediaType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
    }
}
