package dev.filestaging.adapter.s3.blob;

import static org.assertj.core.api.Assertions.assertThat;

import dev.filestaging.adapter.s3.client.ChecksumMode;
import dev.filestaging.adapter.s3.client.S3Clients;
import dev.filestaging.adapter.s3.client.S3Settings;
import dev.filestaging.adapter.s3.testing.S3TestServer;
import dev.filestaging.adapter.s3.testing.S3TestServerExtension;
import dev.filestaging.ports.contract.BlobStoreContractTest;
import dev.filestaging.ports.out.blob.BlobCheckpoint;
import dev.filestaging.ports.out.blob.BlobStore;
import dev.filestaging.ports.out.blob.BlobWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The blob store contract against a real S3 server over HTTP, each test in a bucket of its own; and, looking through
 * the raw client, what the store leaves in the bucket.
 */
abstract class S3BlobStoreContractTestBase extends BlobStoreContractTest {

    private final S3TestServer s3 = server().server();
    private String bucket;

    /** The server the contract runs against, one per test class. */
    protected abstract S3TestServerExtension server();

    @Override
    protected BlobStore newStore() {
        bucket = server().newBucket("blobs");
        return S3BlobStore.open(S3TestSettings.forBucket(s3, bucket));
    }

    @Override
    protected BlobStore sameStorage() {
        return S3BlobStore.open(S3TestSettings.forBucket(s3, bucket));
    }

    /** A store on a bucket that does not exist (opened without the check that would refuse it). */
    @Override
    protected BlobWriter writerOnFailingStorage() {
        S3Settings missing = S3TestSettings.forBucket(s3, "no-such-bucket-" + System.nanoTime());
        if (s3.kind() == S3TestServer.Kind.CEPH_RGW) {
            missing = missing.withChecksums(ChecksumMode.WHEN_REQUIRED);
        }
        S3BlobStore failing = track(new S3BlobStore(missing, S3Clients.create(missing)));
        return failing.create(newId());
    }

    private BucketLayout layout() {
        return new BucketLayout(S3TestSettings.PREFIX);
    }

    @Test
    void a_finished_blob_leaves_its_object_only_no_multipart_upload_and_no_tail() throws Exception {
        String id = newId();
        BlobCheckpoint checkpoint;
        try (BlobWriter writer = store.create(id)) {
            writeInChunks(writer, bytes(6 * MIB, 1), 0, 6 * MIB);
            writer.write(bytes(10, 2), 0, 10);
            writer.sync();
            writer.write(bytes(10, 3), 0, 10);
            checkpoint = writer.sync();
            assertThat(s3.objects(bucket, layout().blobTails(id))).as("the last two checkpoints' tails").hasSize(2);
            writer.write(bytes(10, 4), 0, 10);
            assertThat(s3.objects(bucket, layout().blobTails(id))).as("the last two checkpoints' tails").hasSize(2);
            writer.sync();
            assertThat(s3.objects(bucket, layout().blobTails(id))).as("the one before them is gone").hasSize(2);
            writer.finish();
        }
        assertThat(checkpoint.state().length()).isLessThan(BlobCheckpoint.MAX_STATE);
        assertThat(s3.openMultipartUploads(bucket)).isEmpty();
        assertThat(s3.objects(bucket, "")).extracting(S3Object::key).containsExactly(layout().blob(id));
    }

    @Test
    void a_blob_made_by_create_streams_straight_into_its_upload_and_makes_no_piece() throws Exception {
        String id = newId();
        byte[] content = bytes(6 * MIB, 21);
        try (BlobWriter writer = store.create(id)) {
            writeInChunks(writer, content, 0, content.length);
            assertThat(s3.openMultipartUploads(bucket)).extracting(u -> u.key()).as("the blob's own upload only")
                    .containsExactly(layout().blob(id));
            assertThat(s3.objects(bucket, layout().blobTails(id))).as("no piece, no tail").isEmpty();
            writer.finish();
        }
        assertHolds(store, id, content);
    }

    @Test
    void a_finished_resumable_blob_leaves_its_object_only_no_piece_and_no_tail() throws Exception {
        String id = newId();
        byte[] content = bytes(6 * MIB, 22);
        BlobCheckpoint checkpoint;
        try (BlobWriter writer = store.createResumable(id)) {
            writeInChunks(writer, content, 0, content.length);
            writer.sync();
            writer.write(content, 0, 100);
            writer.sync();
            writeInChunks(writer, content, 0, content.length);
            checkpoint = writer.sync();
            assertThat(s3.objects(bucket, layout().blobPieces(id))).as("every synced part kept").hasSize(2);
            writer.finish();
        }
        assertThat(checkpoint.state().length()).isLessThan(100);
        assertThat(s3.openMultipartUploads(bucket)).isEmpty();
        assertThat(s3.objects(bucket, "")).extracting(S3Object::key).containsExactly(layout().blob(id));
    }

    /**
     * A crash after a sync whose checkpoint the catalog never recorded: the session reopened at the checkpoint before
     * reads and finishes without the stale part, though the blob's upload holds it (which Ceph RGW 16 would refuse to
     * complete, 400 InvalidPart, were it left there).
     */
    @Test
    void a_resumable_blob_reopened_at_an_older_checkpoint_ignores_the_stale_part_and_finishes_without_it()
            throws Exception {
        String id = newId();
        byte[] first = bytes(6 * MIB, 23);
        BlobWriter crashed = store.createResumable(id);
        writeInChunks(crashed, first, 0, first.length);
        BlobCheckpoint recorded = crashed.sync();
        writeInChunks(crashed, bytes(5 * MIB + 10, 24), 0, 5 * MIB + 10);
        crashed.sync(); // never recorded; the writer is never closed
        assertThat(s3.objects(bucket, layout().blobPieces(id))).hasSize(2);

        BlobStore other = track(sameStorage());
        try (java.io.InputStream durable = other.readDurable(id, recorded)) {
            assertThat(durable.readAllBytes()).as("the stale piece ignored").isEqualTo(first);
        }
        try (BlobWriter writer = other.reopen(id, recorded)) {
            assertThat(s3.objects(bucket, layout().blobPieces(id))).as("the stale piece dropped").hasSize(1);
            assertThat(writer.finish()).isEqualTo(first.length);
        }
        assertHolds(store, id, first);
        assertThat(s3.openMultipartUploads(bucket)).isEmpty();
        assertThat(s3.objects(bucket, "")).extracting(S3Object::key).containsExactly(layout().blob(id));
    }

    /** The same crash where the recorded checkpoint had no part yet: the upload that session began goes at finish. */
    @Test
    void a_resumable_blob_finished_after_a_crashed_session_leaves_no_upload_of_that_session() throws Exception {
        String id = newId();
        byte[] first = bytes(1_000, 25);
        BlobWriter crashed = store.createResumable(id);
        crashed.write(first, 0, first.length);
        BlobCheckpoint recorded = crashed.sync();
        writeInChunks(crashed, bytes(5 * MIB + 10, 26), 0, 5 * MIB + 10);
        crashed.sync(); // begins the blob's upload; never recorded, the writer never closed
        assertThat(s3.openMultipartUploads(bucket)).hasSize(1);

        try (BlobWriter writer = track(sameStorage()).reopen(id, recorded)) {
            assertThat(writer.finish()).isEqualTo(first.length);
        }
        assertHolds(store, id, first);
        assertThat(s3.openMultipartUploads(bucket)).isEmpty();
        assertThat(s3.objects(bucket, "")).extracting(S3Object::key).containsExactly(layout().blob(id));
    }

    /** Pieces roll over below S3's 5 GiB copy limit: here at 12 MiB, so a piece holds at most two 5 MiB parts. */
    @Test
    void a_resumable_blob_written_past_the_largest_piece_between_syncs_rolls_to_the_next_piece() throws Exception {
        ((S3BlobStore) store).maxPieceBytes(12 * MIB);
        String id = newId();
        byte[] content = bytes(16 * MIB, 27);
        BlobCheckpoint checkpoint;
        try (BlobWriter writer = store.createResumable(id)) {
            writeInChunks(writer, content, 0, content.length);
            checkpoint = writer.sync();
            assertThat(s3.objects(bucket, layout().blobPieces(id))).as("one piece per part").hasSize(3);
        }
        try (java.io.InputStream durable = track(sameStorage()).readDurable(id, checkpoint)) {
            assertThat(durable.readAllBytes()).isEqualTo(content);
        }
        try (BlobWriter writer = store.reopen(id, checkpoint)) {
            assertThat(writer.finish()).isEqualTo(content.length);
        }
        assertHolds(store, id, content);
    }

    @Test
    void a_deleted_blob_leaves_nothing_in_the_bucket() throws Exception {
        String id = newId();
        BlobWriter crashed = store.create(id);
        writeInChunks(crashed, bytes(6 * MIB, 5), 0, 6 * MIB);
        crashed.sync();
        crashed.write(bytes(100, 6), 0, 100);
        crashed.sync();
        writeInChunks(crashed, bytes(11 * MIB, 7), 0, 11 * MIB); // into a piece, never synced nor closed
        assertThat(s3.openMultipartUploads(bucket)).as("the blob's and its piece's").hasSize(2);
        assertThat(enumerate(store)).containsOnlyKeys(id);
        store.delete(id);
        assertThat(s3.openMultipartUploads(bucket)).isEmpty();
        assertThat(s3.objects(bucket, "")).isEmpty();
    }

    @Test
    void a_checkpoint_from_another_store_or_a_corrupt_one_cannot_reopen_a_blob() throws Exception {
        String id = newId();
        try (BlobWriter writer = store.create(id)) {
            writer.write(bytes(100, 7), 0, 100);
            writer.sync();
        }
        for (String state : new String[] {"", "s3b1 - 0 0", "s3b1 - 0 0 -", "s3b1 - 0 0 100.not-a-tail"}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.reopen(id, new BlobCheckpoint(100, state)))
                    .as(state).isInstanceOf(dev.filestaging.ports.out.StorageException.class);
        }
    }

    @Test
    void a_presigned_url_reads_the_finished_blob_without_credentials() throws Exception {
        String id = newId();
        byte[] content = bytes(1_000, 8);
        try (BlobWriter writer = store.create(id)) {
            writer.write(content, 0, content.length);
            writer.finish();
        }
        assertThat(store.capabilities().presignedReads()).as("not unless downloads are redirected").isEmpty();
        BlobStore redirecting = track(S3BlobStore.open(S3TestSettings.forBucket(s3, bucket)
                .withRedirectDownloads(true)));
        URI url = redirecting.capabilities().presignedReads().orElseThrow()
                .urlFor(id, Duration.ofMinutes(5), Map.of("Content-Type", "text/csv"));
        HttpResponse<byte[]> answer = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo(content);
    }
}
