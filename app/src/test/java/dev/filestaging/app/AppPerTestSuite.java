package dev.filestaging.app;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.TestInstance;

/**
 * A reliability suite whose tests each start the app on a fresh backend of one kind, and which writes its figures
 * to a {@link ReliabilityReport} at the end.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AppPerTestSuite {
    /** The app a test started; stopped after each test. */
    RunningApp app;
    final ReliabilityReport report;

    /** {@code suite} and {@code backend} name the report's file, as in {@code load-s3.md}. */
    AppPerTestSuite(String suite, String backend) {
        report = new ReliabilityReport(suite, backend);
    }

    /** A fresh backend of this suite's kind: its own directory or bucket. */
    abstract Backend backend(String label) throws Exception;

    @AfterEach
    void stopApp() throws Exception {
        if (app != null) {
            app.close();
            app = null;
        }
    }

    @AfterAll
    void writeReport() throws Exception {
        report.write();
    }
}
