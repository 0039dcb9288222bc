package dev.filestaging.domain.links;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.filestaging.domain.StagingService;
import dev.filestaging.domain.fixtures.InMemoryStorage;
import dev.filestaging.domain.quota.Quotas;
import dev.filestaging.ports.ByteRange;
import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.Principal;
import dev.filestaging.ports.Role;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.StoredContent;
import dev.filestaging.ports.fixtures.InMemorySmallRecordStore;
import dev.filestaging.ports.fixtures.MutableClock;
import dev.filestaging.ports.in.AccessDeniedException;
import dev.filestaging.ports.in.LinkCheck;
import dev.filestaging.ports.in.ShareOutcome;
import dev.filestaging.ports.in.UploadCommand;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;

class FileLinksTest {
    private static final OrganizationId ACME = new OrganizationId("acme");
    private static final StagingArea AREA = StagingArea.defaultProjectOf(ACME);
    private static final Principal READER = new Principal(ACME, "sa-r", Set.of(Role.READ_FILES));
    private static final Principal UPLOADER = new Principal(ACME, "sa-u", Set.of(Role.MANAGE_FILES));

    private final InMemoryStorage store = new InMemoryStorage();
    private final InMemorySmallRecordStore records = new InMemorySmallRecordStore();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    private final StagingService service = new StagingService(store, Quotas.uniform(1L << 30), clock,
            java.util.UUID::randomUUID, StagingService.contentWriterPool());
    private FileLinks links;

    @BeforeEach
    void stage() throws Exception {
        links = new FileLinks(store, records, clock, Duration.ofDays(7));
        upload("a.csv", "x,y\n1,2\n");
    }

    private void upload(String name, String content) throws Exception {
        service.upload(new UploadCommand(UPLOADER, AREA, name, null, null, null,
                new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8))));
    }

    private String share(String name, Duration lifetime) {
        return ((ShareOutcome.Shared) links.share(READER, AREA, name, lifetime)).token();
    }

    @Test
    void a_link_reads_its_file_until_it_expires() throws Exception {
        String token = share("a.csv", Duration.ofMinutes(10));

        LinkCheck.Valid valid = (LinkCheck.Valid) links.check(token);
        try (StoredContent content = links.open(valid, new ByteRange.From(4)).orElseThrow()) {
            assertThat(new String(content.content().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("1,2\n");
        }
        clock.advance(Duration.ofMinutes(10));
        assertThat(links.check(token)).isEqualTo(new LinkCheck.Expired(Instant.parse("2026-12-01T10:10:00Z")));
    }

    @Test
    void rotating_the_keys_ends_every_link_made_before_on_every_instance_within_30_seconds() {
        String before = share("a.csv", Duration.ofHours(1));
        FileLinks other = new FileLinks(store, records, clock, Duration.ofDays(7));
        assertThat(other.check(before)).isInstanceOf(LinkCheck.Valid.class);

        FileLinks.rotateKeys(records); // what `link-keys rotate` does, from another process
        clock.advance(Duration.ofSeconds(2));
        String soonAfter = share("a.csv", Duration.ofHours(1));

        clock.advance(Duration.ofSeconds(31));
        assertThat(other.check(soonAfter)).as("a link made after the rotation is signed by the new key")
                .isInstanceOf(LinkCheck.Valid.class);
        assertThat(links.check(before)).isInstanceOf(LinkCheck.Invalid.class);
        assertThat(other.check(before)).isInstanceOf(LinkCheck.Invalid.class);
        String after = share("a.csv", Duration.ofHours(1));
        assertThat(other.check(after)).as("new links are signed with the new key, everywhere")
                .isInstanceOf(LinkCheck.Valid.class);
    }

    @Test
    void another_instance_on_the_same_storage_accepts_the_link_and_signs_with_the_same_key() {
        String token = share("a.csv", Duration.ofHours(1));
        FileLinks other = new FileLinks(store, records, clock, Duration.ofDays(7));

        assertThat(other.check(token)).isInstanceOf(LinkCheck.Valid.class);
        assertThat(((ShareOutcome.Shared) other.share(READER, AREA, "a.csv", Duration.ofHours(1))).token())
                .isEqualTo(token);
    }

    @Test
    void an_altered_or_foreign_link_is_invalid() {
        String token = share("a.csv", Duration.ofHours(1));
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        String longer = payload.substring(0, payload.lastIndexOf('\n') + 1) + "9999999999";
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(longer.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];

        assertThat(links.check(forged)).isInstanceOf(LinkCheck.Invalid.class);
        assertThat(links.check(token.substring(0, token.length() - 2))).isInstanceOf(LinkCheck.Invalid.class);
        assertThat(links.check("garbage")).isInstanceOf(LinkCheck.Invalid.class);
        assertThat(links.check("fl1.%%%.abc")).isInstanceOf(LinkCheck.Invalid.class);
        FileLinks elsewhere = new FileLinks(store, new InMemorySmallRecordStore(), clock, Duration.ofDays(7));
        assertThat(elsewhere.check(token)).as("another service's key").isInstanceOf(LinkCheck.Invalid.class);
    }

    @Test
    void a_link_to_a_deleted_or_replaced_version_reads_nothing() throws Exception {
        LinkCheck.Valid valid = (LinkCheck.Valid) links.check(share("a.csv", Duration.ofHours(1)));
        service.delete(UPLOADER, AREA, "a.csv");
        assertThat(links.find(valid)).isEmpty();
        upload("a.csv", "new content\n");

        assertThat(links.open(valid, ByteRange.WHOLE)).isEmpty();
        assertThat(links.find(valid)).isEmpty();
    }

    @Test
    void lifetimes_are_bounded_missing_files_not_found_and_other_organizations_refused() {
        assertThat(links.share(READER, AREA, "a.csv", Duration.ofDays(8)))
                .isEqualTo(new ShareOutcome.LifetimeOutOfRange(Duration.ofDays(8), Duration.ofDays(7)));
        assertThat(links.share(READER, AREA, "a.csv", Duration.ZERO)).isInstanceOf(ShareOutcome.LifetimeOutOfRange.class);
        assertThat(links.share(READER, AREA, "nothing.csv", Duration.ofHours(1))).isInstanceOf(ShareOutcome.NotFound.class);
        Principal stranger = new Principal(new OrganizationId("globex"), "sa-g", Set.of(Role.MANAGE_FILES));
        assertThatThrownBy(() -> links.share(stranger, AREA, "a.csv", Duration.ofHours(1)))
                .isInstanceOf(AccessDeniedException.class);
    }
}
