package dev.filestaging.adapter.localfs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.filestaging.ports.Digest;
import dev.filestaging.ports.FileKey;
import dev.filestaging.ports.NameGlob;
import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.StoredFile;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class AreaIndexTest {

    private static final StagingArea AREA = StagingArea.defaultProjectOf(new OrganizationId("acme"));

    private final AreaIndex.Area area = new AreaIndex().area(AREA);

    /** A listing's glob is client input: testing names under the lock let one request freeze the area (issue 24). */
    @Test
    void a_listing_tests_names_without_holding_the_area_lock() {
        IntStream.range(0, 3 * AreaIndex.Area.BATCH).forEach(i -> area.put(file("f-%05d.csv".formatted(i))));
        AtomicInteger testedUnderLock = new AtomicInteger();
        AtomicInteger tested = new AtomicInteger();

        List<StoredFile> page = area.page(null, 10_000, name -> {
            tested.incrementAndGet();
            if (Thread.holdsLock(area)) {
                testedUnderLock.incrementAndGet();
            }
            return true;
        });

        assertThat(page).hasSize(3 * AreaIndex.Area.BATCH);
        assertThat(tested.get()).isEqualTo(3 * AreaIndex.Area.BATCH);
        assertThat(testedUnderLock.get()).isZero();
    }

    @Test
    void pages_are_whole_across_the_batches_copied_under_the_lock() {
        int files = 2 * AreaIndex.Area.BATCH + 7;
        IntStream.range(0, files).forEach(i -> area.put(file("f-%05d.%s".formatted(i, i % 3 == 0 ? "csv" : "json"))));
        NameGlob csv = new NameGlob("*.csv");

        List<StoredFile> all = area.page(null, 10_000, csv::matches);
        assertThat(all).extracting(StoredFile::name)
                .containsExactlyElementsOf(IntStream.range(0, files).filter(i -> i % 3 == 0)
                        .mapToObj("f-%05d.csv"::formatted).toList());
        assertThat(area.page(null, 100, csv::matches)).containsExactlyElementsOf(all.subList(0, 100));
        assertThat(area.page("f-00300.csv", 5, csv::matches)).containsExactlyElementsOf(all.subList(101, 106));
        assertThat(area.page(all.get(all.size() - 1).name(), 5, csv::matches)).isEmpty();
        assertThat(area.page(null, files, name -> true)).hasSize(files);
    }

    private static StoredFile file(String name) {
        return new StoredFile(UUID.randomUUID(), new FileKey(AREA, name), 1, null, null,
                Digest.md5("00000000000000000000000000000000"), "sa-1", Instant.EPOCH);
    }
}
