package dev.filestaging.adapter.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.filestaging.adapter.s3.testing.S3TestServer;
import dev.filestaging.adapter.s3.testing.S3TestServerExtension;
import dev.filestaging.ports.FileKey;
import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.StagingArea;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What Ceph RGW 16 does differently from AWS, and that no guarantee is lost there: it refuses the SDK's trailer
 * checksums (the store falls back, or says which setting to change), it ignores {@code If-Match} on a delete (a wrong
 * ETag deletes too; the delete does without it), and its conditional writes still let exactly one of racing
 * instances win.
 */
class RgwCompatibilityTest {

    private static final StagingArea AREA = StagingArea.defaultProjectOf(new OrganizationId("acme"));

    @RegisterExtension
    static final S3TestServerExtension RGW = new S3TestServerExtension(S3TestServer.Kind.CEPH_RGW);
    private final S3TestServer rgw = RGW.server();
    private final List<S3StagingStore> stores = new ArrayList<>();
    private String bucket;

    @BeforeEach
    void newBucket() {
        bucket = RGW.newBucket("rgw");
    }

    @AfterEach
    void closeStores() {
        stores.forEach(S3StagingStore::close);
    }

    private S3StagingStore open(S3Settings settings) {
        S3StagingStore store = S3StagingStore.open(settings);
        stores.add(store);
        return store;
    }

    private S3StagingStore open() {
        return open(S3TestSettings.forBucket(rgw, bucket));
    }

    @Test
    void optional_checksums_are_dropped_when_automatic_and_named_in_the_error_when_forced() {
        assertThat(S3TestSettings.forBucket(rgw, bucket).checksums()).isEqualTo(ChecksumMode.AUTO);
        S3StagingStore automatic = open();
        assertThat(S3StagingStoreTest.stage(automatic, new FileKey(AREA, "a.csv"), "a,b\n".getBytes()))
                .isInstanceOf(dev.filestaging.ports.out.CommitOutcome.Committed.class);

        assertThatThrownBy(() -> open(S3TestSettings.forBucket(rgw, bucket).withChecksums(ChecksumMode.WHEN_SUPPORTED)))
                .hasMessageContaining("XAmzContentSHA256Mismatch").hasMessageContaining("FILES_S3_CHECKSUMS");
    }

    @Test
    void the_start_up_check_finds_that_rgw_ignores_if_match_on_deletes() {
        assertThat(open().records().conditionalDeletes()).isFalse();
    }

    @Test
    void of_instances_racing_for_one_name_exactly_one_wins() throws Exception {
        List<S3StagingStore> instances = List.of(open(), open());
        for (int round = 0; round < 5; round++) {
            InstanceRaces.exactlyOneCommits(instances, new FileKey(AREA, "contended-" + round + ".csv"), 8);
        }
    }

    @Test
    void of_instances_deleting_one_file_at_once_exactly_one_gets_it() throws Exception {
        InstanceRaces.exactlyOneDeletes(List.of(open(), open()), new FileKey(AREA, "deleted-once.csv"), 8, 10);
    }

    @Test
    void a_delete_never_removes_a_newer_upload_of_the_same_name() {
        S3StagingStore first = open();
        S3StagingStore second = open();
        FileKey key = new FileKey(AREA, "replaced.csv");
        var old = ((dev.filestaging.ports.out.CommitOutcome.Committed) S3StagingStoreTest.stage(first, key,
                "old".getBytes())).file();
        assertThat(second.delete(key, old.id())).contains(old);
        var newer = ((dev.filestaging.ports.out.CommitOutcome.Committed) S3StagingStoreTest.stage(second, key,
                "newer".getBytes())).file();

        assertThat(first.delete(key, old.id())).isEmpty();
        assertThat(first.find(key)).contains(newer);
    }
}
