package dev.filestaging.adapter.localfs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.Role;
import dev.filestaging.ports.out.ApiKeyRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalFsApiKeyRepositoryTest {

    @TempDir
    Path directory;

    private static ApiKeyRecord record(String hashDigit, String org) {
        return new ApiKeyRecord(hashDigit.repeat(64), "sa-" + org, new OrganizationId(org),
                Set.of(Role.MANAGE_FILES), Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Test
    void a_saved_key_is_found_by_its_hash_and_survives_a_new_instance() {
        Path file = directory.resolve("api-keys.properties");
        new LocalFsApiKeyRepository(file).save(record("a", "acme"));

        LocalFsApiKeyRepository reopened = new LocalFsApiKeyRepository(file);

        assertThat(reopened.findByHash("a".repeat(64))).contains(record("a", "acme"));
        assertThat(reopened.findByHash("b".repeat(64))).isEmpty();
    }

    @Test
    void a_key_added_by_another_process_is_seen_without_restart() {
        Path file = directory.resolve("api-keys.properties");
        LocalFsApiKeyRepository server = new LocalFsApiKeyRepository(file);
        assertThat(server.all()).isEmpty();

        new LocalFsApiKeyRepository(file).save(record("c", "globex"));

        assertThat(server.findByHash("c".repeat(64))).isPresent();
        assertThat(server.all()).hasSize(1);
    }

    @Test
    void the_file_never_contains_anything_but_hashes() throws Exception {
        Path file = directory.resolve("api-keys.properties");
        new LocalFsApiKeyRepository(file).save(record("d", "acme"));
        assertThat(Files.readString(file)).contains("d".repeat(64)).contains("acme|sa-acme|ManageFiles|");
    }
}
