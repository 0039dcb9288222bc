package dev.filestaging.domain.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.Role;
import dev.filestaging.ports.fixtures.InMemorySmallRecordStore;
import dev.filestaging.ports.fixtures.MutableClock;
import dev.filestaging.ports.out.ApiKeyRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeyRecordsTest {

    private final InMemorySmallRecordStore records = new InMemorySmallRecordStore();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));

    private static ApiKeyRecord key(String hashDigit, String org) {
        return new ApiKeyRecord(hashDigit.repeat(64), "sa-" + org, new OrganizationId(org),
                Set.of(Role.MANAGE_FILES), Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Test
    void a_saved_key_is_one_record_found_by_its_hash_by_every_process_sharing_the_records() {
        new ApiKeyRecords(records, clock).save(key("a", "acme"));

        ApiKeyRecords another = new ApiKeyRecords(records, clock);

        assertThat(another.findByHash("a".repeat(64))).contains(key("a", "acme"));
        assertThat(another.findByHash("b".repeat(64))).isEmpty();
        assertThat(another.all()).containsExactly(key("a", "acme"));
        assertThat(records.read("api-keys", "a".repeat(64))).contains("acme|sa-acme|ManageFiles|2026-01-01T00:00:00Z");
    }

    @Test
    void a_key_added_by_another_process_is_accepted_within_a_second_even_after_a_miss() {
        ApiKeyRecords server = new ApiKeyRecords(records, clock);
        assertThat(server.findByHash("c".repeat(64))).isEmpty();

        new ApiKeyRecords(records, clock).save(key("c", "globex")); // the command-line tool

        assertThat(server.findByHash("c".repeat(64))).as("the miss is cached for a second").isEmpty();
        clock.advance(Duration.ofMillis(1001));
        assertThat(server.findByHash("c".repeat(64))).contains(key("c", "globex"));
    }

    @Test
    void a_hash_that_is_not_sha256_hex_is_never_looked_up() {
        assertThat(new ApiKeyRecords(records, clock).findByHash("../../etc/passwd")).isEmpty();
    }
}
