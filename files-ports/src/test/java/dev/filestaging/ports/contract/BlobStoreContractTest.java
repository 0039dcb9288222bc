package dev.filestaging.ports.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.filestaging.ports.out.StorageException;
import dev.filestaging.ports.out.blob.BlobCheckpoint;
import dev.filestaging.ports.out.blob.BlobStore;
import dev.filestaging.ports.out.blob.BlobStore.BlobInfo;
import dev.filestaging.ports.out.blob.BlobWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link BlobStore} contract, run unchanged against every implementation. A subclass gives a new store on new,
 * empty storage, and a second store on the same storage, as another process (or instance) would open it: what one
 * syncs or finishes, the other must see.
 */
public abstract class BlobStoreContractTest {

    /** Sizes that cross S3's 5 MiB part minimum, and the 8 MiB part a store may cut at. */
    protected static final int MIB = 1024 * 1024;

    protected BlobStore store;
    private final List<AutoCloseable> opened = new ArrayList<>();

    /** A new store on new, empty storage. */
    protected abstract BlobStore newStore() throws Exception;

    /** Another store on the storage of the last {@link #newStore}, as another process sharing it would open it. */
    protected abstract BlobStore sameStorage() throws Exception;

    /**
     * A writer whose storage fails (a full disk, a missing bucket), with nothing written yet; or abort the test
     * ({@link Assumptions#abort}) where the store cannot simulate one.
     */
    protected BlobWriter writerOnFailingStorage() throws Exception {
        return Assumptions.abort("this store cannot simulate a failing storage");
    }

    @BeforeEach
    void openStore() throws Exception {
        store = track(newStore());
    }

    @AfterEach
    void closeStores() throws Exception {
        for (AutoCloseable closeable : opened) {
            closeable.close();
        }
    }

    /** Closes {@code candidate} after the test if it is closeable. */
    protected <T> T track(T candidate) {
        if (candidate instanceof AutoCloseable closeable) {
            opened.add(closeable);
        }
        return candidate;
    }

    private BlobStore other() throws Exception {
        return track(sameStorage());
    }

    @Test
    void an_unfinished_blob_is_not_readable_synced_or_not_from_any_instance() throws Exception {
        String id = newId();
        try (BlobWriter writer = store.create(id)) {
            writer.write(bytes(10, 1), 0, 10);
            assertThat(store.read(id, 0, 0)).as("written, not synced").isEmpty();
            writer.sync();
            assertThat(store.read(id, 0, 10)).as("synced, not finished").isEmpty();
            assertThat(other().read(id, 0, 10)).as("synced, seen from another instance").isEmpty();
        }
        assertThat(store.read(id, 0, 10)).as("closed, not finished").isEmpty();
    }

    @Test
    void a_finished_blob_reads_exactly_its_bytes_whole_and_by_range_from_any_instance() throws Exception {
        String id = newId();
        byte[] content = bytes(300_000, 2);
        try (BlobWriter writer = store.create(id)) {
            assertThat(writer.blobId()).isEqualTo(id);
            writer.write(content, 0, 100_000);
            writer.write(content, 100_000, 200_000);
            assertThat(writer.written()).isEqualTo(300_000);
            assertThat(writer.finish()).isEqualTo(300_000);
        }
        for (BlobStore reader : List.of(store, other())) {
            assertHolds(reader, id, content);
            assertThat(read(reader, id, 1, 1)).isEqualTo(slice(content, 1, 1));
            assertThat(read(reader, id, 0, 10)).as("the first bytes only").isEqualTo(slice(content, 0, 10));
            assertThat(read(reader, id, 123_457, 100_001)).isEqualTo(slice(content, 123_457, 100_001));
            assertThat(read(reader, id, content.length - 7, 7)).isEqualTo(slice(content, content.length - 7, 7));
            assertThat(read(reader, id, 5_000, 0)).as("zero bytes inside").isEmpty();
            assertThat(read(reader, id, content.length, 0)).as("zero bytes at the end").isEmpty();
        }
    }

    @Test
    void an_empty_blob_is_readable_and_reads_nothing() throws Exception {
        String id = newId();
        try (BlobWriter writer = store.create(id)) {
            assertThat(writer.written()).isZero();
            assertThat(writer.finish()).isZero();
        }
        assertThat(read(store, id, 0, 0)).isEmpty();
        assertThat(read(other(), id, 0, 0)).isEmpty();
    }

    @Test
    void a_blob_never_created_reads_empty() {
        assertThat(store.read(newId(), 0, 0)).isEmpty();
    }

    @Test
    void reopened_at_a_checkpoint_a_blob_continues_after_exactly_those_bytes_and_unsynced_ones_are_gone()
            throws Exception {
        String id = newId();
        byte[] first = bytes(70_000, 3);
        // a crash: the writer is never closed, so nothing it wrote after its sync is cleaned up
        BlobWriter crashed = store.create(id);
        crashed.write(first, 0, first.length);
        BlobCheckpoint checkpoint = crashed.sync();
        assertThat(checkpoint.offset()).isEqualTo(first.length);
        crashed.write(bytes(50_000, 4), 0, 50_000); // never synced: dropped
        assertThat(crashed.written()).isEqualTo(120_000);

        byte[] second = bytes(40_000, 5);
        try (BlobWriter writer = other().reopen(id, checkpoint)) {
            assertThat(writer.blobId()).isEqualTo(id);
            assertThat(writer.written()).isEqualTo(first.length);
            writer.write(second, 0, second.length);
            assertThat(writer.finish()).isEqualTo(first.length + second.length);
        }
        assertHolds(store, id, concat(first, second));
    }

    @Test
    void a_blob_synced_by_one_instance_is_reopened_and_finished_by_another() throws Exception {
        String id = newId();
        byte[] first = bytes(1_000, 6);
        BlobCheckpoint checkpoint;
        try (BlobWriter writer = store.create(id)) {
            writer.write(first, 0, first.length);
            checkpoint = writer.sync();
            writer.write(first, 0, 10); // never synced
        }
        byte[] second = bytes(2_000, 7);
        BlobStore other = other();
        try (BlobWriter writer = other.reopen(id, checkpoint)) {
            assertThat(writer.written()).isEqualTo(1_000);
            writer.write(second, 0, second.length);
            assertThat(writer.finish()).isEqualTo(3_000);
        }
        assertHolds(store, id, concat(first, second));
        assertHolds(other, id, concat(first, second));
    }

    @Test
    void the_durable_bytes_of_a_resumable_blob_are_read_back_by_another_instance_up_to_a_checkpoint()
            throws Exception {
        String id = newId();
        byte[] content = bytes(6 * MIB + 1_234, 11);
        byte[] more = bytes(1_000, 12);
        BlobCheckpoint large;
        try (BlobWriter writer = store.createResumable(id)) {
            writeInChunks(writer, content, 0, content.length); // more than a part before the first sync
            large = writer.sync();
            writer.write(content, 0, 10); // never synced
        }
        BlobStore other = other();
        try (InputStream durable = other.readDurable(id, large)) {
            assertThat(durable.readAllBytes()).isEqualTo(content);
        }
        BlobCheckpoint longer;
        try (BlobWriter writer = other.reopen(id, large)) {
            writer.write(more, 0, more.length);
            longer = writer.sync();
        }
        try (InputStream durable = store.readDurable(id, longer)) {
            assertThat(durable.readAllBytes()).isEqualTo(concat(content, more));
        }
        try (BlobWriter writer = store.reopen(id, longer)) {
            writeInChunks(writer, content, 0, content.length);
            BlobCheckpoint last = writer.sync();
            try (InputStream durable = other.readDurable(id, last)) {
                assertThat(durable.readAllBytes()).isEqualTo(concat(concat(content, more), content));
            }
            assertThat(writer.finish()).isEqualTo(2L * content.length + more.length);
        }
        assertHolds(other, id, concat(concat(content, more), content));
        assertThatThrownBy(() -> store.readDurable(newId(), large)).isInstanceOf(StorageException.class);
    }

    @Test
    void a_sync_with_nothing_new_keeps_the_offset_and_a_sync_before_any_write_holds_an_empty_blob() throws Exception {
        String id = newId();
        try (BlobWriter writer = store.create(id)) {
            BlobCheckpoint empty = writer.sync();
            assertThat(empty.offset()).isZero();
            writer.write(bytes(5, 8), 0, 5);
            assertThat(writer.sync().offset()).isEqualTo(5);
            assertThat(writer.sync().offset()).isEqualTo(5);
        }
        String emptyId = newId();
        BlobCheckpoint start;
        try (BlobWriter writer = store.create(emptyId)) {
            start = writer.sync();
        }
        try (BlobWriter writer = other().reopen(emptyId, start)) {
            assertThat(writer.written()).isZero();
            writer.write(bytes(3, 9), 0, 3);
            assertThat(writer.finish()).isEqualTo(3);
        }
        assertHolds(store, emptyId, bytes(3, 9));
    }

    /**
     * Syncs of one byte, of 100 KiB, and of more than a 5 MiB part, in a mix, each session on a writer reopened at
     * the last checkpoint by one instance or the other; and bytes written after each sync but never synced.
     */
    @Test
    void syncs_of_small_and_large_amounts_in_any_mix_across_instances_keep_exactly_the_synced_bytes()
            throws Exception {
        int[] appends = {1, 100 * 1024, 6 * MIB + 3, 1, 1, 100 * 1024, 7 * MIB + 11, 1, 5 * MIB, 100 * 1024};
        int total = Arrays.stream(appends).sum();
        byte[] content = bytes(total, 10);
        String id = newId();
        BlobStore[] instances = {store, other()};
        BlobWriter writer = store.create(id);
        int at = 0;
        for (int i = 0; i < appends.length; i++) {
            writeInChunks(writer, content, at, appends[i]);
            at += appends[i];
            BlobCheckpoint checkpoint = writer.sync();
            assertThat(checkpoint.offset()).isEqualTo(at);
            writer.write(bytes(1_000, 100 + i), 0, 1_000); // never synced
            writer.close();
            writer = instances[i % 2].reopen(id, checkpoint);
            assertThat(writer.written()).isEqualTo(at);
        }
        assertThat(writer.finish()).isEqualTo(total);
        writer.close();
        assertHolds(instances[1], id, content);
        assertThat(read(store, id, 6 * MIB - 5, 10)).isEqualTo(slice(content, 6 * MIB - 5, 10));
    }

    /**
     * A writer that crashed after writing more than a part past its checkpoint (a store may have sent those bytes
     * already): reopened at the checkpoint, the blob takes other, shorter bytes, and holds exactly those.
     */
    @Test
    void bytes_a_crashed_writer_wrote_past_its_checkpoint_are_gone_even_a_part_or_more_of_them() throws Exception {
        String id = newId();
        byte[] first = bytes(6 * MIB + 7, 21);
        BlobWriter crashed = store.create(id);
        writeInChunks(crashed, first, 0, first.length);
        BlobCheckpoint checkpoint = crashed.sync();
        writeInChunks(crashed, bytes(17 * MIB, 22), 0, 17 * MIB); // never synced, never closed

        byte[] second = bytes(3_000, 23);
        try (BlobWriter writer = other().reopen(id, checkpoint)) {
            writer.write(second, 0, second.length);
            assertThat(writer.finish()).isEqualTo(first.length + second.length);
        }
        assertHolds(store, id, concat(first, second));
    }

    @Test
    void a_large_blob_written_in_one_session_without_syncs_reads_back_whole() throws Exception {
        byte[] content = bytes(17 * MIB + 5, 11);
        String id = newId();
        try (BlobWriter writer = store.create(id)) {
            writeInChunks(writer, content, 0, content.length);
            assertThat(writer.finish()).isEqualTo(content.length);
        }
        assertHolds(other(), id, content);
        assertThat(read(store, id, 8 * MIB - 3, 6)).isEqualTo(slice(content, 8 * MIB - 3, 6));
    }

    /**
     * What a crash during finish leaves, whether or not the finish got through: the writer reopened at the last
     * checkpoint (by another instance), the bytes after it written again, and finish called again.
     */
    @Test
    void a_finish_run_again_after_a_reopen_at_the_last_checkpoint_gives_the_same_bytes() throws Exception {
        for (int[] sizes : new int[][] {{20_000, 30_000}, {6 * MIB + 1, 1_000}, {1_000, 6 * MIB + 1}}) {
            byte[] content = bytes(sizes[0] + sizes[1], sizes[0]);
            String id = newId();
            BlobCheckpoint last;
            try (BlobWriter writer = store.create(id)) {
                writeInChunks(writer, content, 0, sizes[0]);
                last = writer.sync();
                writeInChunks(writer, content, sizes[0], sizes[1]);
                assertThat(writer.finish()).isEqualTo(content.length);
            }
            try (BlobWriter again = other().reopen(id, last)) {
                writeInChunks(again, content, sizes[0], sizes[1]);
                assertThat(again.finish()).as("finish again, " + Arrays.toString(sizes)).isEqualTo(content.length);
            }
            assertHolds(store, id, content);
        }
    }

    /**
     * A crash after a finish whose file was never recorded, then other bytes written after the checkpoint (a client
     * resending another tail): the blob either takes the new bytes, or refuses them at the sync or finish that would
     * acknowledge them; never a finish that answers success over the old ones (found by the hostile tester: a file
     * staged with the MD5 of what was sent and the bytes of what was sent before the crash).
     */
    @Test
    void a_finished_blob_reopened_at_a_checkpoint_never_acknowledges_bytes_it_does_not_hold() throws Exception {
        byte[] before = bytes(40_000, 1);
        byte[] after = bytes(40_000, 2);
        for (boolean syncFirst : new boolean[] {false, true}) {
            String id = newId();
            BlobCheckpoint last;
            try (BlobWriter writer = store.create(id)) {
                writeInChunks(writer, before, 0, 20_000);
                last = writer.sync();
                writeInChunks(writer, before, 20_000, 20_000);
                writer.finish();
            }
            byte[] expected = Arrays.copyOf(before, 40_000);
            System.arraycopy(after, 20_000, expected, 20_000, 20_000);
            try (BlobWriter again = other().reopen(id, last)) {
                writeInChunks(again, after, 20_000, 20_000);
                if (syncFirst) {
                    BlobCheckpoint synced = again.sync();
                    try (InputStream durable = other().readDurable(id, synced)) {
                        assertThat(durable.readAllBytes()).as("what the sync acknowledged").isEqualTo(expected);
                    }
                }
                assertThat(again.finish()).isEqualTo(40_000);
                assertHolds(store, id, expected);
            } catch (StorageException refused) {
                assertHolds(store, id, before); // refused: the old bytes stay, and nothing claimed otherwise
            }
        }
    }

    @Test
    void a_deleted_blob_finished_or_not_is_gone_and_delete_is_idempotent() throws Exception {
        String finished = newId();
        try (BlobWriter writer = store.create(finished)) {
            writer.write(bytes(6 * MIB, 12), 0, 6 * MIB);
            writer.sync();
            writer.write(bytes(10, 13), 0, 10);
            writer.finish();
        }
        String synced = newId();
        BlobCheckpoint checkpoint;
        try (BlobWriter writer = store.create(synced)) {
            writer.write(bytes(6 * MIB, 14), 0, 6 * MIB);
            writer.sync();
            writer.write(bytes(100, 15), 0, 100);
            checkpoint = writer.sync();
        }
        String open = newId();
        BlobWriter openWriter = store.create(open);
        openWriter.write(bytes(100, 16), 0, 100);
        assertThat(enumerate(store)).containsKeys(finished, synced);

        store.delete(finished);
        other().delete(synced);
        store.delete(open);
        openWriter.close();
        store.delete(finished);
        store.delete(synced);
        store.delete(newId());

        assertThat(store.read(finished, 0, 0)).isEmpty();
        assertThat(other().read(finished, 0, 0)).isEmpty();
        assertThat(enumerate(store)).doesNotContainKeys(finished, synced, open);
        assertThat(enumerate(other())).isEmpty();
        assertThatThrownBy(() -> store.reopen(synced, checkpoint)).isInstanceOf(StorageException.class);
    }

    @Test
    void enumerate_lists_every_blob_that_holds_storage_finished_or_synced() throws Exception {
        assertThat(enumerate(store)).isEmpty();
        String finished = newId();
        try (BlobWriter writer = store.create(finished)) {
            writer.write(bytes(1_234, 17), 0, 1_234);
            writer.finish();
        }
        String empty = newId();
        try (BlobWriter writer = store.create(empty)) {
            writer.finish();
        }
        String small = newId();
        try (BlobWriter writer = store.create(small)) {
            writer.write(bytes(10, 18), 0, 10);
            writer.sync();
        }
        String large = newId();
        try (BlobWriter writer = store.create(large)) {
            writeInChunks(writer, bytes(6 * MIB, 19), 0, 6 * MIB);
            writer.sync();
        }
        Map<String, BlobInfo> listed = enumerate(other());
        assertThat(listed).containsOnlyKeys(finished, empty, small, large);
        assertThat(listed.get(finished).bytes()).isEqualTo(1_234);
        assertThat(listed.get(empty).bytes()).isZero();
        assertThat(listed.values()).allSatisfy(info -> {
            assertThat(info.bytes()).isNotNegative();
            assertThat(info.lastModified()).isNotNull();
        });
    }

    @Test
    void reopening_a_blob_that_is_not_there_fails_as_a_storage_failure() {
        assertThatThrownBy(() -> store.reopen(newId(), new BlobCheckpoint(10, "")))
                .isInstanceOf(StorageException.class);
        assertThatThrownBy(() -> store.reopen(newId(), BlobCheckpoint.start()))
                .isInstanceOf(StorageException.class);
    }

    @Test
    void ids_that_are_not_blob_ids_are_refused() {
        assertThatThrownBy(() -> store.create("short")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.create("../../escape-the-directory")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.read("with/slash/aaaaaaaaaaaa", 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.delete("x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_failing_storage_surfaces_as_a_storage_exception() throws Exception {
        try (BlobWriter writer = writerOnFailingStorage()) {
            byte[] chunk = bytes(64 * 1024, 20);
            assertThatThrownBy(() -> {
                writer.write(chunk, 0, chunk.length);
                writer.sync();
            }).isInstanceOf(StorageException.class);
        }
    }

    // --- helpers

    protected static String newId() {
        return "blob-" + UUID.randomUUID();
    }

    /** Deterministic bytes, different for each seed. */
    protected static byte[] bytes(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** Writes in the domain's 256 KiB chunks, the way uploads arrive. */
    protected static void writeInChunks(BlobWriter writer, byte[] content, int from, int length) {
        for (int at = from, end = from + length; at < end; at += 256 * 1024) {
            writer.write(content, at, Math.min(256 * 1024, end - at));
        }
    }

    protected static byte[] read(BlobStore store, String id, long first, long length) throws IOException {
        Optional<InputStream> stream = store.read(id, first, length);
        assertThat(stream).as("blob " + id + " readable").isPresent();
        try (InputStream in = stream.get()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        }
    }

    /** The finished blob reads as {@code content}, and is listed with exactly that many bytes: no more are kept. */
    protected static void assertHolds(BlobStore store, String id, byte[] content) throws IOException {
        assertThat(read(store, id, 0, content.length)).as("the bytes of " + id).isEqualTo(content);
        assertThat(enumerate(store).get(id)).as("the listing of " + id).isNotNull()
                .extracting(BlobInfo::bytes).isEqualTo((long) content.length);
    }

    protected static Map<String, BlobInfo> enumerate(BlobStore store) {
        Map<String, BlobInfo> listed = new ConcurrentHashMap<>();
        store.enumerate(info -> assertThat(listed.put(info.blobId(), info)).as("listed once: " + info).isNull());
        return listed;
    }

    private static byte[] slice(byte[] content, int from, int length) {
        return Arrays.copyOfRange(content, from, from + length);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
