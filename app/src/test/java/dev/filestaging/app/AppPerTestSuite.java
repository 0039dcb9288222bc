package dev.filestaging.app;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * A reliability suite whose tests each start the app on a fresh backend of one kind, and which writes its figures
 * to a {@link ReliabilityReport} at the end.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AppPerTestSuite {
    /** The app a test started; stopped after each test. */
    RunningApp app;
    ReliabilityReport report;

    /** The suite's name in its report's file name. */
    abstract String suiteName();

    /** A fresh backend of this suite's kind: its own directory or bucket. */
    abstract Backend backend(String label) throws Exception;

    @BeforeAll
    void openReport() throws Exception {
        report = new ReliabilityReport(suiteName(), backend("name").name());
    }

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
