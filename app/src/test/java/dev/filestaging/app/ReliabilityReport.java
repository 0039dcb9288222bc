package dev.filestaging.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The figures of a reliability suite's run, written to {@code target/reliability/<suite>-<backend>.md} for
 * RELIABILITY.md: every case with what the client got, and the totals.
 */
final class ReliabilityReport {
    private final String suite;
    private final String backend;
    private final List<String> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private int passed;

    ReliabilityReport(String suite, String backend) {
        this.suite = suite;
        this.backend = backend;
    }

    synchronized void passed(String caseTitle, String outcome, Invariants.Drift drift) {
        passed++;
        rows.add("| " + caseTitle.replace("|", "\\|") + " | " + outcome.replace("|", "\\|") + " | "
                + (drift == null ? "–" : drift.threads() + " / " + drift.fileDescriptors() + " / " + drift.heapKib())
                + " |");
    }

    synchronized void note(String line) {
        notes.add("- " + line);
    }

    synchronized void write() throws IOException {
        Path directory = Files.createDirectories(Path.of("target", "reliability"));
        List<String> lines = new ArrayList<>();
        lines.add("## " + suite + " on " + backend + ": " + passed + " cases passed with every invariant held");
        lines.add("");
        lines.add("| case | outcome | drift after: threads / fds / heap KiB |");
        lines.add("|---|---|---|");
        lines.addAll(rows);
        lines.add("");
        lines.addAll(notes);
        Files.write(directory.resolve(suite + "-" + backend + ".md"), lines);
    }
}
