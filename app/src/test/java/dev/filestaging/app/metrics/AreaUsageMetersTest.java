package dev.filestaging.app.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.filestaging.domain.storage.StagingStore;
import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.ProjectId;
import dev.filestaging.ports.StagingArea;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** The area tag stays bounded, and a scrape reads storage only for areas that changed or whose reading aged. */
class AreaUsageMetersTest {
    private int reads;

    private final StagingStore store = new StagingStore() {
        @Override
        public long usedBytes(StagingArea area) {
            reads++;
            return 1000L + Integer.parseInt(area.project().value().substring(1));
        }

        @Override
        public dev.filestaging.domain.storage.PendingFile create(dev.filestaging.ports.FileKey key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public dev.filestaging.domain.storage.ResumableUploads uploads() {
            throw new UnsupportedOperationException();
        }

        @Override
        public java.util.Optional<dev.filestaging.ports.StoredFile> find(dev.filestaging.ports.FileKey key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public java.util.List<dev.filestaging.ports.StoredFile> list(StagingArea area) {
            throw new UnsupportedOperationException();
        }

        @Override
        public java.util.Optional<dev.filestaging.ports.StoredContent> open(dev.filestaging.ports.FileKey key,
                                                                             dev.filestaging.ports.ByteRange range) {
            throw new UnsupportedOperationException();
        }

        @Override
        public java.util.Optional<dev.filestaging.ports.StoredFile> delete(dev.filestaging.ports.FileKey key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public java.util.Optional<dev.filestaging.ports.StoredFile> delete(dev.filestaging.ports.FileKey key,
                                                                            java.util.UUID id) {
            throw new UnsupportedOperationException();
        }
    };

    private static StagingArea area(int i) {
        return new StagingArea(new OrganizationId("acme"), new ProjectId("p" + i));
    }

    @Test
    void only_the_areas_used_most_recently_are_kept_and_unchanged_ones_are_not_read_again() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AreaUsageMeters meters = new AreaUsageMeters(registry, store, organization -> 5000L);
        for (int i = 0; i < 60; i++) {
            meters.used(area(i));
        }
        assertThat(registry.find("files.quota.used.bytes").gauges()).hasSize(AreaUsageMeters.MAX_AREAS);
        assertThat(registry.find("files.quota.used.bytes").tag("area", "acme/p0").gauge()).as("the eldest went").isNull();
        assertThat(registry.get("files.quota.used.bytes").tag("area", "acme/p59").gauge().value()).isEqualTo(1059.0);
        assertThat(registry.get("files.quota.allocated.bytes").tag("area", "acme/p59").gauge().value()).isEqualTo(5000.0);

        int before = reads;
        registry.get("files.quota.used.bytes").tag("area", "acme/p59").gauge().value();
        assertThat(reads).as("unchanged and fresh: not read again").isEqualTo(before);
        meters.used(area(59));
        registry.get("files.quota.used.bytes").tag("area", "acme/p59").gauge().value();
        assertThat(reads).as("changed: read again").isEqualTo(before + 1);
    }
}
