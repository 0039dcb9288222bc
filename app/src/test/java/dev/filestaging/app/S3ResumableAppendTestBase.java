package dev.filestaging.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.filestaging.adapter.postgres.PostgresCatalog;
import dev.filestaging.adapter.postgres.PostgresServer;
import dev.filestaging.adapter.s3.blob.S3BlobStore;
import dev.filestaging.adapter.s3.client.S3Settings;
import dev.filestaging.adapter.s3.testing.S3TestServer;
import dev.filestaging.adapter.s3.testing.S3TestServerExtension;
import dev.filestaging.domain.storage.CatalogStagingStore;
import dev.filestaging.domain.storage.CommitOutcome;
import dev.filestaging.domain.storage.ResumableFile;
import dev.filestaging.domain.storage.ResumableUploads;
import dev.filestaging.ports.ByteRange;
import dev.filestaging.ports.CompressionFormat;
import dev.filestaging.ports.DataFormat;
import dev.filestaging.ports.Digest;
import dev.filestaging.ports.FileKey;
import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.StoredFile;
import dev.filestaging.ports.out.UploadTicket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Appends to resumable uploads whose length is deferred, with the byte counts that once hung a PATCH for ever on the
 * retired bucket-only store (a rewritten tail taken past two parts, where the SDK stopped asking for data), now on the
 * PostgreSQL catalog with S3 blobs at the production part size. Writes come in the domain's 256 KiB chunks. Run
 * against each S3 server by a subclass.
 */
abstract class S3ResumableAppendTestBase {

    private static final StagingArea AREA = StagingArea.defaultProjectOf(new OrganizationId("acme"));
    private static final int DOMAIN_CHUNK = 256 * 1024;

    private PostgresCatalog catalog;
    private S3BlobStore blobs;
    private CatalogStagingStore store;
    private ResumableUploads uploads;
    private String bucket;

    protected abstract S3TestServerExtension server();

    @BeforeEach
    void openStore() {
        bucket = server().newBucket("append");
        catalog = PostgresCatalog.open(PostgresServer.shared().newDatabase(), PostgresServer.USER,
                PostgresServer.PASSWORD);
        blobs = S3BlobStore.open(new S3Settings(bucket, "staging/", S3TestServer.REGION, server().server().endpoint(),
                true, S3Settings.DEFAULT_PART_SIZE_BYTES, Duration.ofSeconds(5)));
        store = new CatalogStagingStore(catalog, blobs, Clock.systemUTC(), Duration.ofMinutes(1));
        uploads = store.uploads();
    }

    @AfterEach
    void closeStore() {
        blobs.close();
        catalog.close();
    }

    @ParameterizedTest(name = "{0} bytes, then {1}")
    @CsvSource({"10000000, 7000000", "1000000, 16777216", "10000000, 10000000", "15500101, 5242880"})
    void an_append_that_takes_a_rewritten_tail_past_two_parts_is_stored_and_never_hangs(int first, int second) {
        FileKey key = new FileKey(AREA, "deferred-" + first + "-" + second + ".bin");
        byte[] content = new byte[first + second];
        new Random(first ^ second).nextBytes(content);
        UploadTicket ticket = new UploadTicket("append-" + first + "-" + second, key, UploadTicket.DEFERRED, Map.of(),
                dev.filestaging.ports.out.DeclaredContent.NOTHING,
                "sa-1", Instant.now(), Instant.now().plusSeconds(3600));
        assertThat(uploads.reserve(ticket)).isPresent();

        assertTimeoutPreemptively(Duration.ofSeconds(90), () -> {
            assertThat(append(ticket.id(), content, 0, first)).isEqualTo(first);
            assertThat(append(ticket.id(), content, first, second)).isEqualTo(first + second);
        }, "an append must answer; it hung waiting for the SDK to take its bytes");

        assertTimeoutPreemptively(Duration.ofSeconds(90), () -> {
            try (ResumableFile file = writing(ticket.id())) {
                assertThat(E2e.md5(file.readDurable().readAllBytes())).isEqualTo(E2e.md5(content));
                file.declareLength(content.length);
                assertThat(file.commit(new StoredFile(UUID.randomUUID(), key, content.length, DataFormat.CSV,
                        CompressionFormat.GZ, Digest.md5(E2e.md5(content)), "sa-1",
                        Instant.now().truncatedTo(ChronoUnit.MICROS)))).isInstanceOf(CommitOutcome.Committed.class);
            }
            try (InputStream stored = store.open(key, ByteRange.WHOLE).orElseThrow().content()) {
                assertThat(E2e.md5(stored.readAllBytes())).isEqualTo(E2e.md5(content));
            }
        });
        assertThat(server().server().openMultipartUploads(bucket)).isEmpty();
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
