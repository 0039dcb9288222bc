package dev.filestaging.adapter.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.filestaging.ports.FileKey;
import dev.filestaging.ports.StoredFile;
import dev.filestaging.ports.out.CommitOutcome;
import dev.filestaging.ports.out.PendingFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Races between store instances sharing one bucket, released together; each asserts exactly one winner. */
final class InstanceRaces {
    private InstanceRaces() {
    }

    /** {@code writers} uploads of one name, spread over the instances: exactly one commits. */
    static void exactlyOneCommits(List<S3StagingStore> instances, FileKey key, int writers) throws Exception {
        CountDownLatch ready = new CountDownLatch(writers);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<CommitOutcome>> outcomes = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                S3StagingStore instance = instances.get(i % instances.size());
                byte[] content = ("writer " + i).getBytes();
                outcomes.add(pool.submit((Callable<CommitOutcome>) () -> {
                    try (PendingFile pending = instance.create(key)) {
                        pending.write(content, 0, content.length);
                        ready.countDown();
                        ready.await();
                        return pending.commit(S3StagingStoreTest.metadata(key, content));
                    }
                }));
            }
            int winners = 0;
            for (Future<CommitOutcome> outcome : outcomes) {
                winners += outcome.get() instanceof CommitOutcome.Committed ? 1 : 0;
            }
            assertThat(winners).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    /** {@code rounds} times: a file staged, then deleted by {@code deleters} at once over the instances: one gets it. */
    static void exactlyOneDeletes(List<S3StagingStore> instances, FileKey key, int deleters, int rounds)
            throws Exception {
        for (int round = 0; round < rounds; round++) {
            StoredFile staged = ((CommitOutcome.Committed) S3StagingStoreTest.stage(instances.get(0), key,
                    ("v" + round).getBytes())).file();
            CountDownLatch ready = new CountDownLatch(deleters);
            ExecutorService pool = Executors.newFixedThreadPool(deleters);
            try {
                List<Future<Optional<StoredFile>>> results = new ArrayList<>();
                for (int i = 0; i < deleters; i++) {
                    S3StagingStore instance = instances.get(i % instances.size());
                    results.add(pool.submit(() -> {
                        ready.countDown();
                        ready.await();
                        return instance.delete(key);
                    }));
                }
                int winners = 0;
                for (Future<Optional<StoredFile>> result : results) {
                    winners += result.get().map(file -> file.equals(staged) ? 1 : 100).orElse(0);
                }
                assertThat(winners).as("round %d", round).isEqualTo(1);
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
