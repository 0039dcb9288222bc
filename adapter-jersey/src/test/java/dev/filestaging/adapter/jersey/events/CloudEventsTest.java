package dev.filestaging.adapter.jersey.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.filestaging.ports.CompressionFormat;
import dev.filestaging.ports.DataFormat;
import dev.filestaging.ports.Digest;
import dev.filestaging.ports.FileKey;
import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.ProjectId;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.StoredFile;
import dev.filestaging.ports.UploadMethod;
import dev.filestaging.ports.events.Change;
import dev.filestaging.ports.out.UploadTicket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CloudEventsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final StagingArea AREA = new StagingArea(new OrganizationId("acme"), ProjectId.DEFAULT);
    static final Instant AT = Instant.parse("2026-12-07T10:15:30.123Z");
    static final StoredFile FILE = new StoredFile(UUID.fromString("3f2c8a4e-7b1d-4c5e-9a0f-112233445566"),
            new FileKey(AREA, "sales/2026-12.csv"), 1234, DataFormat.CSV, CompressionFormat.GZ,
            Digest.md5("0CC175B9C0F1B6A831C399E269772661"), "sa-ingest", Instant.parse("2026-12-07T10:15:29Z"),
            UploadMethod.RESUMABLE, Instant.parse("2026-12-14T10:15:29Z"));

    @Test
    void a_committed_file_is_exactly_this_json() {
        Change change = Change.ofFile(42, Change.Kind.COMMITTED, FILE, AT);

        assertThat(new String(CloudEvents.json(change), StandardCharsets.UTF_8)).isEqualTo("{"
                + "\"specversion\":\"1.0\","
                + "\"id\":\"evt_d8e55995c3203a308dbbff48fbe1f0bd\","
                + "\"source\":\"/organizations/acme/projects/default\","
                + "\"type\":\"file.committed\","
                + "\"subject\":\"sales/2026-12.csv\","
                + "\"time\":\"2026-12-07T10:15:30.123Z\","
                + "\"datacontenttype\":\"application/json\","
                + "\"sequence\":\"0000000000000000042\","
                + "\"data\":{"
                + "\"organization\":\"acme\","
                + "\"project\":\"default\","
                + "\"name\":\"sales/2026-12.csv\","
                + "\"fileId\":\"3f2c8a4e-7b1d-4c5e-9a0f-112233445566\","
                + "\"sizeBytes\":1234,"
                + "\"md5\":\"0CC175B9C0F1B6A831C399E269772661\","
                + "\"dataFormat\":\"csv\","
                + "\"compressionFormat\":\"gz\","
                + "\"uploadedBy\":\"sa-ingest\","
                + "\"uploadedOn\":\"2026-12-07T10:15:29Z\","
                + "\"uploadedVia\":\"resumable\","
                + "\"expiresAt\":\"2026-12-14T10:15:29Z\","
                + "\"sequence\":42}}");
        assertThat(CloudEvents.event(change).get("id")).isEqualTo(change.eventId());
    }

    @Test
    void the_required_attributes_come_first_then_the_optional_ones_then_the_extension_and_data() {
        for (Change change : everyKind()) {
            assertThat(CloudEvents.event(change).keySet()).as(change.kind().type()).containsExactly("specversion",
                    "id", "source", "type", "subject", "time", "datacontenttype", "sequence", "data");
        }
    }

    @Test
    void every_kind_has_its_type_and_the_members_of_its_data() {
        List<String> fileMembers = List.of("organization", "project", "name", "fileId", "sizeBytes", "md5",
                "dataFormat", "compressionFormat", "uploadedBy", "uploadedOn", "uploadedVia", "expiresAt", "sequence");
        List<String> types = new ArrayList<>();
        for (Change change : everyKind()) {
            Map<String, Object> event = CloudEvents.event(change);
            types.add((String) event.get("type"));
            @SuppressWarnings("unchecked")
            Map<String, Object> data = (Map<String, Object>) event.get("data");
            if (change.kind() == Change.Kind.UPLOAD_EXPIRED) {
                assertThat(data.keySet()).containsExactly("organization", "project", "name", "uploadId",
                        "receivedBytes", "length", "uploadedBy", "created", "sequence");
            } else {
                assertThat(data.keySet()).as(change.kind().type()).containsExactlyElementsOf(fileMembers);
            }
        }
        assertThat(types).containsExactly("file.committed", "file.deleted", "file.expired", "upload.expired");
    }

    @Test
    void a_file_with_nothing_optional_has_nulls_not_missing_members() throws Exception {
        StoredFile bare = new StoredFile(FILE.id(), FILE.key(), 0, null, null, FILE.digest(), "sa-1",
                FILE.uploadedOn());
        JsonNode data = JSON.readTree(CloudEvents.json(Change.ofFile(7, Change.Kind.DELETED, bare, AT))).get("data");

        for (String member : List.of("dataFormat", "compressionFormat", "uploadedVia", "expiresAt")) {
            assertThat(data.has(member)).as(member).isTrue();
            assertThat(data.get(member).isNull()).as(member).isTrue();
        }
        assertThat(data.get("sizeBytes").isIntegralNumber()).isTrue();
        assertThat(data.get("sizeBytes").asLong()).isZero();
        assertThat(data.get("uploadedVia").isNull()).isTrue();
    }

    @Test
    void an_expired_upload_tells_what_was_received_and_a_deferred_length_as_null() throws Exception {
        Change.ExpiredUpload known = new Change.ExpiredUpload("up_0123456789abcdef", new FileKey(AREA, "big.parquet"),
                5_000_000, 8_000_000, "sa-2", Instant.parse("2026-12-06T10:00:00Z"));
        Change.ExpiredUpload deferred = new Change.ExpiredUpload("up_fedcba9876543210", new FileKey(AREA, "x.csv"), 0,
                UploadTicket.DEFERRED, "sa-2", Instant.parse("2026-12-06T10:00:00Z"));

        JsonNode event = JSON.readTree(CloudEvents.json(Change.ofUpload(9, known, AT)));
        assertThat(event.get("type").asText()).isEqualTo("upload.expired");
        assertThat(event.get("subject").asText()).isEqualTo("big.parquet");
        JsonNode data = event.get("data");
        assertThat(data.get("uploadId").asText()).isEqualTo("up_0123456789abcdef");
        assertThat(data.get("receivedBytes").asLong()).isEqualTo(5_000_000);
        assertThat(data.get("length").asLong()).isEqualTo(8_000_000);
        assertThat(data.get("uploadedBy").asText()).isEqualTo("sa-2");
        assertThat(data.get("created").asText()).isEqualTo("2026-12-06T10:00:00Z");
        assertThat(data.get("sequence").asLong()).isEqualTo(9);

        JsonNode deferredData = JSON.readTree(CloudEvents.json(Change.ofUpload(10, deferred, AT))).get("data");
        assertThat(deferredData.has("length")).isTrue();
        assertThat(deferredData.get("length").isNull()).isTrue();
        assertThat(deferredData.get("receivedBytes").asLong()).isZero();
    }

    @Test
    void sequences_order_as_strings_as_the_sequence_extension_requires() {
        List<String> sequences = List.of(CloudEvents.sequence(1), CloudEvents.sequence(9), CloudEvents.sequence(10),
                CloudEvents.sequence(1_000_000_007), CloudEvents.sequence(Long.MAX_VALUE));

        assertThat(sequences).isSorted();
        assertThat(sequences).allSatisfy(sequence -> assertThat(sequence).hasSize(19).containsOnlyDigits());
        assertThat(Long.parseLong(CloudEvents.sequence(Long.MAX_VALUE))).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void the_source_names_the_area_and_names_with_any_characters_stay_intact() throws Exception {
        StagingArea project = new StagingArea(new OrganizationId("org-1"), new ProjectId("p_2"));
        StoredFile odd = new StoredFile(FILE.id(), new FileKey(project, "ünï \"quoted\"/…\n.csv"), 1, null, null,
                FILE.digest(), "sa-1", FILE.uploadedOn());
        JsonNode event = JSON.readTree(CloudEvents.json(Change.ofFile(1, Change.Kind.EXPIRED, odd, AT)));

        assertThat(event.get("source").asText()).isEqualTo("/organizations/org-1/projects/p_2");
        assertThat(event.get("subject").asText()).isEqualTo("ünï \"quoted\"/…\n.csv");
        assertThat(event.get("data").get("name").asText()).isEqualTo("ünï \"quoted\"/…\n.csv");
        assertThat(event.get("type").asText()).isEqualTo("file.expired");
    }

    @Test
    void the_same_change_gives_the_same_bytes_and_a_media_type_for_structured_mode() {
        Change change = Change.ofFile(3, Change.Kind.COMMITTED, FILE, AT);
        assertThat(CloudEvents.json(change)).isEqualTo(CloudEvents.json(change));
        assertThat(CloudEvents.MEDIA_TYPE).isEqualTo("application/cloudevents+json");
    }

    static List<Change> everyKind() {
        return List.of(Change.ofFile(1, Change.Kind.COMMITTED, FILE, AT),
                Change.ofFile(2, Change.Kind.DELETED, FILE, AT),
                Change.ofFile(3, Change.Kind.EXPIRED, FILE, AT),
                Change.ofUpload(4, new Change.ExpiredUpload("up_0123456789abcdef", new FileKey(AREA, "u.csv"), 10,
                        UploadTicket.DEFERRED, "sa-1", AT), AT));
    }
}
