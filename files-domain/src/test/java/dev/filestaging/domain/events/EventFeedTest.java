package dev.filestaging.domain.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.filestaging.ports.CompressionFormat;
import dev.filestaging.ports.DataFormat;
import dev.filestaging.ports.Digest;
import dev.filestaging.ports.FileKey;
import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.Principal;
import dev.filestaging.ports.ProjectId;
import dev.filestaging.ports.Role;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.StoredFile;
import dev.filestaging.ports.events.Change;
import dev.filestaging.ports.events.FeedCursor;
import dev.filestaging.ports.fixtures.InMemoryCatalog;
import dev.filestaging.ports.in.AccessDeniedException;
import dev.filestaging.ports.in.EventsOutcome;
import dev.filestaging.ports.out.catalog.Catalog;
import dev.filestaging.ports.out.catalog.CatalogFile;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class EventFeedTest {
    private static final OrganizationId ACME = new OrganizationId("acme");
    private static final StagingArea AREA = StagingArea.defaultProjectOf(ACME);
    private static final StagingArea OTHER = new StagingArea(ACME, new ProjectId("other"));
    private static final Principal READER = new Principal(ACME, "sa-r", Set.of(Role.READ_FILES));

    private final InMemoryCatalog catalog = new InMemoryCatalog();
    private final EventFeed feed = new EventFeed(catalog, Clock.systemUTC());

    private void commit(StagingArea area, String name) {
        StoredFile file = new StoredFile(UUID.randomUUID(), new FileKey(area, name), 1, DataFormat.CSV,
                CompressionFormat.GZ, Digest.md5("900150983CD24FB0D6963F7D28E17F72"), "sa-1", Instant.now());
        catalog.commit(new CatalogFile(file, "blob" + UUID.randomUUID().toString().replace("-", "")), Catalog.NO_LIMIT);
    }

    private EventsOutcome.Page page(Optional<String> after, int limit) throws InterruptedException {
        EventsOutcome outcome = feed.read(READER, AREA, after, limit, Duration.ZERO);
        assertThat(outcome).isInstanceOf(EventsOutcome.Page.class);
        return (EventsOutcome.Page) outcome;
    }

    @Test
    void events_are_read_in_order_from_the_oldest_then_from_each_cursor_and_none_twice() throws Exception {
        EventsOutcome.Page empty = page(Optional.empty(), 10);
        assertThat(empty.events()).isEmpty();
        commit(AREA, "a");
        commit(OTHER, "x");
        commit(AREA, "b");
        commit(AREA, "c");

        EventsOutcome.Page first = page(Optional.of(empty.cursor()), 2);
        EventsOutcome.Page second = page(Optional.of(first.cursor()), 10);
        EventsOutcome.Page third = page(Optional.of(second.cursor()), 10);

        assertThat(first.events()).extracting(change -> change.key().name()).containsExactly("a", "b");
        assertThat(second.events()).extracting(change -> change.key().name()).containsExactly("c");
        assertThat(third.events()).isEmpty();
        assertThat(third.cursor()).isEqualTo(second.cursor());
        assertThat(page(Optional.empty(), 10).events()).extracting(Change::sequence).containsExactly(1L, 2L, 3L);
    }

    @Test
    void a_cursor_whose_next_events_were_trimmed_is_refused_with_the_oldest_cursor_never_skipped() throws Exception {
        String start = page(Optional.empty(), 10).cursor();
        commit(AREA, "a");
        commit(AREA, "b");
        Thread.sleep(5);
        Instant cut = Instant.now();
        Thread.sleep(5);
        commit(AREA, "c");
        catalog.trimChanges(cut, 100);

        EventsOutcome outcome = feed.read(READER, AREA, Optional.of(start), 10, Duration.ZERO);

        assertThat(outcome).isInstanceOf(EventsOutcome.CursorExpired.class);
        String oldest = ((EventsOutcome.CursorExpired) outcome).oldest();
        assertThat(page(Optional.of(oldest), 10).events()).extracting(change -> change.key().name())
                .containsExactly("c");
        catalog.trimChanges(Instant.now().plusSeconds(1), 100);
        EventsOutcome allGone = feed.read(READER, AREA, Optional.of(oldest), 10, Duration.ZERO);
        assertThat(allGone).isInstanceOf(EventsOutcome.CursorExpired.class);
        assertThat(page(Optional.of(((EventsOutcome.CursorExpired) allGone).oldest()), 10).events()).isEmpty();
    }

    @Test
    void cursors_that_are_not_this_areas_are_refused() throws Exception {
        commit(AREA, "a");
        String cursor = page(Optional.empty(), 10).cursor();
        String othersCursor = ((EventsOutcome.Page) feed.read(READER, OTHER, Optional.empty(), 10, Duration.ZERO))
                .cursor();

        assertThat(feed.read(READER, AREA, Optional.of(othersCursor), 10, Duration.ZERO))
                .isInstanceOf(EventsOutcome.CursorInvalid.class);
        assertThat(feed.read(READER, AREA, Optional.of("not a cursor"), 10, Duration.ZERO))
                .isInstanceOf(EventsOutcome.CursorInvalid.class);
        assertThat(feed.read(READER, AREA, Optional.of(FeedCursor.of(AREA, 99)), 10, Duration.ZERO))
                .isInstanceOf(EventsOutcome.CursorInvalid.class);
        assertThat(feed.read(READER, AREA, Optional.of("x".repeat(100_000)), 10, Duration.ZERO))
                .isInstanceOf(EventsOutcome.CursorInvalid.class);
        assertThat(page(Optional.of(cursor), 10).events()).isEmpty();
    }

    @Test
    void a_cursor_from_another_history_of_the_area_is_refused_not_read_on_from() throws Exception {
        commit(AREA, "a");
        commit(AREA, "b");
        String cursor = page(Optional.empty(), 10).cursor();
        // the same area in a catalog made anew (a wiped data directory, a restored backup): the numbers go on from 1
        InMemoryCatalog other = new InMemoryCatalog();
        EventFeed otherFeed = new EventFeed(other, Clock.systemUTC());
        Thread.sleep(2);
        for (String name : List.of("x", "y", "z")) {
            StoredFile file = new StoredFile(UUID.randomUUID(), new FileKey(AREA, name), 1, DataFormat.CSV, null,
                    Digest.md5("900150983CD24FB0D6963F7D28E17F72"), "sa-1", Instant.now());
            other.commit(new CatalogFile(file, "blob" + UUID.randomUUID().toString().replace("-", "")),
                    Catalog.NO_LIMIT);
        }

        assertThat(otherFeed.read(READER, AREA, Optional.of(cursor), 10, Duration.ZERO))
                .isInstanceOf(EventsOutcome.CursorInvalid.class);
        assertThat(((EventsOutcome.Page) feed.read(READER, AREA, Optional.of(cursor), 10, Duration.ZERO)).events())
                .isEmpty();
    }

    @Test
    void a_waiting_read_answers_as_soon_as_an_event_comes_and_an_idle_one_when_its_wait_is_over() throws Exception {
        String cursor = page(Optional.empty(), 10).cursor();
        long started = System.nanoTime();
        CompletableFuture<EventsOutcome> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return feed.read(READER, AREA, Optional.of(cursor), 10, Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(300);
        assertThat(waiting).isNotDone();
        commit(AREA, "late");

        EventsOutcome.Page page = (EventsOutcome.Page) waiting.get();
        assertThat(page.events()).extracting(change -> change.key().name()).containsExactly("late");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));

        long idleStart = System.nanoTime();
        EventsOutcome.Page idle = (EventsOutcome.Page) feed.read(READER, AREA, Optional.of(page.cursor()), 10,
                Duration.ofMillis(400));
        assertThat(idle.events()).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - idleStart)).isBetween(Duration.ofMillis(350),
                Duration.ofSeconds(5));
    }

    @Test
    void waiting_reads_are_bounded_the_rest_answer_at_once() throws Exception {
        String cursor = page(Optional.empty(), 10).cursor();
        java.util.List<CompletableFuture<EventsOutcome>> waiting = new java.util.ArrayList<>();
        for (int i = 0; i < EventFeed.MAX_WAITING; i++) {
            waiting.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return feed.read(READER, AREA, Optional.of(cursor), 10, Duration.ofSeconds(3));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }, java.util.concurrent.Executors.newSingleThreadExecutor()));
        }
        Thread.sleep(500);
        long started = System.nanoTime();
        assertThat(page(Optional.of(cursor), 10).events()).isEmpty();
        EventsOutcome overflow = feed.read(READER, AREA, Optional.of(cursor), 10, Duration.ofSeconds(3));
        assertThat(overflow).isInstanceOf(EventsOutcome.Page.class);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
        commit(AREA, "wake");
        for (CompletableFuture<EventsOutcome> each : waiting) {
            assertThat(((EventsOutcome.Page) each.get()).events()).hasSize(1);
        }
    }

    @Test
    void another_organization_may_not_read_and_limits_are_checked() {
        Principal stranger = new Principal(new OrganizationId("globex"), "sa-g", Set.of(Role.MANAGE_FILES));
        assertThatThrownBy(() -> feed.read(stranger, AREA, Optional.empty(), 10, Duration.ZERO))
                .isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> feed.read(READER, AREA, Optional.empty(), 0, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> feed.read(READER, AREA, Optional.empty(), 1001, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
