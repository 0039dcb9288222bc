package dev.filestaging.adapter.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.filestaging.adapter.s3.testing.S3TestServerExtension;
import dev.filestaging.ports.ByteRange;
import dev.filestaging.ports.FileKey;
import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.out.CommitOutcome;
import dev.filestaging.ports.out.ResumableFile;
import dev.filestaging.ports.out.ResumableUploads;
import dev.filestaging.ports.out.UploadTicket;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Appends to resumable uploads whose length is deferred, with the byte counts that once hung a PATCH for ever: the
 * stored tail (not a whole number of MiB) is rewritten into the new piece, and the piece goes past two parts (16 MiB
 * at the default 8 MiB part size), where the SDK stopped asking for data. Writes come in the domain's 256 KiB chunks.
 * Run against each S3 server by a subclass.
 */
abstract class S3ResumableAppendTestBase {

    private static final StagingArea AREA = StagingArea.defaultProjectOf(new OrganizationId("acme"));
    private static final int DOMAIN_CHUNK = 256 * 1024;

    private S3StagingStore store;
    private ResumableUploads uploads;

    protected abstract S3TestServerExtension server();

    @BeforeEach
    void openStore() {
        String bucket = server().newBucket("append");
        S3Settings test = S3TestSettings.forBucket(server().server(), bucket);
        // the production part size, so that the tail threshold (16 MiB) and two parts (16 MiB) meet as they do there
        store = S3StagingStore.open(new S3Settings(test.bucket(), test.prefix(), test.region(), test.endpoint(), true,
                S3Settings.DEFAULT_PART_SIZE_BYTES, test.requestTimeout(), true, test.orphanAge()));
        uploads = store.capabilities().resumableUploads().orElseThrow();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @ParameterizedTest(name = "{0} bytes, then {1}")
    @CsvSource({"10000000, 7000000", "1000000, 16777216", "10000000, 10000000", "15500101, 5242880"})
    void an_append_that_takes_a_rewritten_tail_past_two_parts_is_stored_and_never_hangs(int first, int second) {
        FileKey key = new FileKey(AREA, "deferred-" + first + "-" + second + ".bin");
        byte[] content = new byte[first + second];
        new Random(first ^ second).nextBytes(content);
        UploadTicket ticket = new UploadTicket("append-" + first + "-" + second, key, UploadTicket.DEFERRED, Map.of(),
                "sa-1", Instant.now(), Instant.now().plusSeconds(3600));
        assertThat(uploads.reserve(ticket)).isPresent();

        assertTimeoutPreemptively(Duration.ofSeconds(90), () -> {
            assertThat(append(ticket.id(), content, 0, first)).isEqualTo(first);
            assertThat(append(ticket.id(), content, first, second)).isEqualTo(first + second);
        }, "an append must answer; it hung waiting for the SDK to take its bytes");

        assertTimeoutPreemptively(Duration.ofSeconds(90), () -> {
            try (ResumableFile file = writing(ticket.id())) {
                assertThat(S3StagingStoreTest.md5(file.readDurable().readAllBytes()))
                        .isEqualTo(S3StagingStoreTest.md5(content));
                file.declareLength(content.length);
                assertThat(file.commit(S3StagingStoreTest.metadata(key, content)))
                        .isInstanceOf(CommitOutcome.Committed.class);
            }
            try (InputStream stored = store.open(key, ByteRange.WHOLE).orElseThrow().content()) {
                assertThat(S3StagingStoreTest.md5(stored.readAllBytes())).isEqualTo(S3StagingStoreTest.md5(content));
            }
        });
        assertThat(server().server().openMultipartUploads(store.bucket())).isEmpty();
    }

    /** One PATCH: the bytes in the domain's chunks, then a sync; returns the new offset. */
    private long append(String id, byte[] content, int from, int length) {
        try (ResumableFile file = writing(id)) {
            for (int at = from; at < from + length; at += DOMAIN_CHUNK) {
                file.write(content, at, Math.min(DOMAIN_CHUNK, from + length - at));
            }
            return file.sync();
        }
    }

    private ResumableFile writing(String id) {
        return ((ResumableUploads.Opened.Writing) uploads.openForWriting(id)).file();
    }
}
