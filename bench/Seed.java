import dev.filestaging.adapter.localfs.LocalStorage;
import dev.filestaging.domain.storage.CatalogStagingStore;
import dev.filestaging.domain.storage.PendingFile;
import dev.filestaging.domain.storage.StagingStore;
import dev.filestaging.ports.Digest;
import dev.filestaging.ports.FileKey;
import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.StoredFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stages many small files for the listing and start-up benchmarks, through the storage adapters' own commit path
 * (the same records an upload writes), 16 at a time; far faster than HTTP uploads for 100,000 files, and the listing
 * does not care how the files arrived. Run with the app jar on the class path:
 * {@code java -cp app/target/files-app.jar bench/Seed.java local DATA_DIR COUNT}. Files go to organization "default",
 * project "default". (An S3 bucket's files are rows of its PostgreSQL catalog, which bench.py seeds with SQL.)
 */
public class Seed {
    public static void main(String[] args) throws Exception {
        if (!args[0].equals("local")) {
            throw new IllegalArgumentException("usage: Seed local DATA_DIR COUNT");
        }
        LocalStorage local = LocalStorage.open(Path.of(args[1]));
        StagingStore store = new CatalogStagingStore(local.catalog(), local.blobs());
        int count = Integer.parseInt(args[2]);
        StagingArea area = StagingArea.defaultProjectOf(new OrganizationId("default"));
        AtomicLong done = new AtomicLong();
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        for (int i = 0; i < count; i++) {
            int n = i;
            pool.execute(() -> {
                byte[] content = ("{\"seed\":" + n + "}\n").getBytes(StandardCharsets.UTF_8);
                FileKey key = new FileKey(area, String.format("seed-%07d.json", n));
                try (PendingFile pending = store.create(key)) {
                    pending.write(content, 0, content.length);
                    pending.commit(new StoredFile(UUID.randomUUID(), key, content.length, null, null,
                            Digest.md5(HexFormat.of().withUpperCase().formatHex(
                                    MessageDigest.getInstance("MD5").digest(content))),
                            "bench-seed", Instant.now()));
                    done.incrementAndGet();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(1, TimeUnit.DAYS);
        System.out.printf("seeded %d files in %.1f s%n", done.get(), (System.nanoTime() - start) / 1e9);
        local.close();
        System.exit(0);
    }
}
