package dev.filestaging.storage.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.filestaging.ports.CompressionFormat;
import dev.filestaging.ports.DataFormat;
import dev.filestaging.ports.Digest;
import dev.filestaging.ports.FileKey;
import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.StoredFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class StoredFileRecordTest {

    private static final StoredFile FILE = new StoredFile(UUID.fromString("3576326d-5fd5-4fdc-97aa-88d72bcbd7e9"),
            new FileKey(StagingArea.defaultProjectOf(new OrganizationId("acme")), "café = 1:2.csv.gz"), 1234,
            DataFormat.CSV, CompressionFormat.GZ, Digest.md5("900150983CD24FB0D6963F7D28E17F72"), "sa-1",
            Instant.parse("2026-12-01T10:00:00.123456Z"));

    @Test
    void a_record_reads_back_as_written_with_the_stores_attributes_apart() throws IOException {
        StoredFileRecord record = new StoredFileRecord(FILE, Map.of("contentKey", "areas/acme/default/content/x"));

        StoredFileRecord read = StoredFileRecord.decode(record.encode());

        assertThat(read).isEqualTo(record);
        assertThat(new String(record.encode(), StandardCharsets.UTF_8))
                .contains("store.contentKey=areas/acme/default/content/x").contains("version=1");
    }

    @Test
    void a_file_without_declared_formats_keeps_them_absent() throws IOException {
        StoredFile plain = new StoredFile(FILE.id(), FILE.key(), 0, null, null, FILE.digest(), "sa-1", FILE.uploadedOn());

        assertThat(StoredFileRecord.decode(new StoredFileRecord(plain, Map.of()).encode()).file()).isEqualTo(plain);
    }

    @Test
    void an_unknown_version_or_a_damaged_field_is_refused_never_guessed() {
        assertThatThrownBy(() -> StoredFileRecord.decode("version=2\n".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class).hasMessageContaining("version 2");
        byte[] damaged = new String(new StoredFileRecord(FILE, Map.of()).encode(), StandardCharsets.UTF_8)
                .replace("sizeBytes=1234", "sizeBytes=12x4").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> StoredFileRecord.decode(damaged)).isInstanceOf(IOException.class)
                .hasMessageContaining("corrupt metadata");
    }
}
