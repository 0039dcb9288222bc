package dev.filestaging.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Faults of the server and its storage, common to both backends: the server killed with {@code kill -9} at random
 * moments under load, then restarted. Each backend's own faults (disk full, fsync failing; S3 errors and outages) are
 * in its subclass.
 */
abstract class StorageFaultsSuite extends AppPerTestSuite {
    static final ObjectMapper JSON = new ObjectMapper();
    static final int KILL_ROUNDS = 2;
    /** Large enough for a multipart upload on S3 and a background sync on disk. */
    static final int WARM_UP_BYTES = 20 * 1024 * 1024;


    /** Whether invisible crash leftovers (S3 multipart uploads and content awaiting the orphan sweep) may remain. */
    abstract boolean crashLeavesInvisibleLeftovers();

    StorageFaultsSuite(String backend) {
        super("storage-faults", backend);
    }

    @Test
    void kill_9_at_random_moments_under_load_loses_no_acknowledged_file_and_leaves_nothing_partial() throws Exception {
        Backend backend = backend("kill-9");
        Map<String, String> fixedPort = Map.of("FILES_HTTP_PORT", Integer.toString(RunningApp.freePort()));
        Random random = new Random();
        int acknowledged = 0;
        int inFlight = 0;
        int orphanContent = 0;
        int openUploads = 0;
        int files = 0;
        Churn churn = null;
        for (int round = 0; round < KILL_ROUNDS; round++) {
            app = backend.start(fixedPort);
            churn = churn == null ? new Churn(app.port, 4, 10_000,
                    new long[] {1024, 64 * 1024, 300 * 1024, 6 * 1024 * 1024}, 0.1) : churn.continuing(app.port);
            Churn thisRound = churn;
            ExecutorService runner = Executors.newSingleThreadExecutor();
            Future<Churn.Counts> running = runner.submit(() -> thisRound.run(Duration.ofSeconds(60)));
            Thread.sleep(800 + random.nextInt(1500));
            thisRound.stop();
            app.kill();
            running.get();
            runner.shutdown();

            app = backend.start(fixedPort);
            Audit.Figures audit = Audit.check(backend, app, churn, crashLeavesInvisibleLeftovers());
            acknowledged = audit.acknowledgedChecked();
            inFlight = audit.inFlightFound();
            orphanContent = audit.orphanContent();
            openUploads = audit.openUploads();
            files = audit.filesListed();
            app.close();
            app = null;
        }
        report.passed(KILL_ROUNDS + " rounds: 4 clients uploading and deleting, kill -9 after 0.8–2.3 s, restart, audit",
                acknowledged + " acknowledged files checked intact after the last round, " + files + " files at the end, "
                        + inFlight + " in-flight uploads found whole, bytes lost 0; invisible leftovers: " + orphanContent
                        + " content objects awaiting the orphan sweep, " + openUploads + " multipart uploads still open 20 s"
                        + " after the restart (instance timeout 2 s)",
                null);
    }
}
