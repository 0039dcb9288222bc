package dev.filestaging.storage.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.filestaging.ports.CompressionFormat;
import dev.filestaging.ports.DataFormat;
import dev.filestaging.ports.out.DeclaredContent;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TicketMetadataTest {

    @Test
    void client_metadata_and_declarations_come_back_apart() throws IOException {
        DeclaredContent declared = new DeclaredContent(DataFormat.ND_JSON, CompressionFormat.ZSTD, "application/x-ndjson");
        Map<String, String> client = Map.of("filename", "a.json", "note", "ünï \u0000 \n", "empty", "");

        TicketMetadata.Split split = TicketMetadata.split(TicketMetadata.map(
                TicketMetadata.bytes(TicketMetadata.joined(client, declared))));

        assertThat(split.client()).isEqualTo(client);
        assertThat(split.declared()).isEqualTo(declared);
    }

    @Test
    void nothing_declared_adds_nothing() {
        assertThat(TicketMetadata.joined(Map.of("filename", "a"), DeclaredContent.NOTHING))
                .isEqualTo(Map.of("filename", "a"));
        assertThat(TicketMetadata.split(Map.of("filename", "a")).declared()).isEqualTo(DeclaredContent.NOTHING);
    }

    @Test
    void what_an_earlier_version_kept_reads_as_declarations_and_its_organization_key_is_dropped() {
        TicketMetadata.Split split = TicketMetadata.split(Map.of("filename", "a.csv", ":dataFormat", "csv",
                ":compressionFormat", "gz", ":mediaType", "text/csv", ":organization", "acme"));

        assertThat(split.client()).isEqualTo(Map.of("filename", "a.csv"));
        assertThat(split.declared()).isEqualTo(new DeclaredContent(DataFormat.CSV, CompressionFormat.GZ, "text/csv"));
    }

    @Test
    void a_client_key_that_looks_reserved_never_passes_for_a_declaration() {
        assertThat(TicketMetadata.joined(Map.of(":dataFormat", "parquet"), DeclaredContent.NOTHING)).isEmpty();
    }

    @Test
    void cut_bytes_are_refused_without_reading_a_length_they_claim() {
        byte[] whole = TicketMetadata.bytes(Map.of("filename", "a.csv"));
        assertThatThrownBy(() -> TicketMetadata.map(Arrays.copyOf(whole, whole.length - 1)))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> TicketMetadata.map(new byte[] {0x7f, -1, -1, -1}))
                .isInstanceOf(IOException.class);
    }
}
