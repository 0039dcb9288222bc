package dev.filestaging.adapter.localfs.directory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.filestaging.adapter.localfs.records.LocalFsSmallRecordStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LegacyApiKeyFileTest {

    @TempDir
    Path data;

    @Test
    void the_keys_of_a_legacy_file_become_records_once_and_the_file_is_kept_aside() throws Exception {
        // as the previous version wrote it: a java.util.Properties file with a comment and a date line
        Files.writeString(data.resolve("api-keys.properties"), "#API keys: SHA-256 of each key.\n#Tue Dec 01 2026\n"
                + "a".repeat(64) + "=acme|sa-acme|ManageFiles|2026-01-01T00\\:00\\:00Z\n"
                + "b".repeat(64) + "=globex|sa-globex|ReadFiles|2026-01-02T00\\:00\\:00Z\n");
        LocalFsSmallRecordStore records = new LocalFsSmallRecordStore(data.resolve("records"));
        records.write("api-keys", "b".repeat(64), "globex|sa-new|ManageFiles|2026-02-02T00:00:00Z");

        int imported = LegacyApiKeyFile.importInto(data, records, "api-keys");

        assertThat(imported).isEqualTo(1);
        assertThat(records.read("api-keys", "a".repeat(64))).contains("acme|sa-acme|ManageFiles|2026-01-01T00:00:00Z");
        assertThat(records.read("api-keys", "b".repeat(64)))
                .as("a record already there wins").contains("globex|sa-new|ManageFiles|2026-02-02T00:00:00Z");
        assertThat(data.resolve("api-keys.properties")).doesNotExist();
        assertThat(data.resolve("api-keys.properties.imported")).exists();
        assertThat(LegacyApiKeyFile.importInto(data, records, "api-keys")).isZero();
    }

    @Test
    void a_data_directory_without_the_file_imports_nothing() {
        assertThat(LegacyApiKeyFile.importInto(data, new LocalFsSmallRecordStore(data.resolve("records")), "api-keys"))
                .isZero();
    }
}
