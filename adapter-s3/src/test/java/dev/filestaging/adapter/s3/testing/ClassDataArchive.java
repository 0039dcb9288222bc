package dev.filestaging.adapter.s3.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Class-data archives (the JDK's dynamic CDS) of the jars the tests start in their own JVMs (S3Proxy, S3Mock, the
 * app): made once per build by a training run, then mapped by every start instead of loading and verifying the same
 * classes again, which halves a start's CPU. The tests start these jars some hundred times on two cores, so this is
 * minutes of a build. Only how classes are loaded changes, not what runs; without an archive (a training run that
 * failed) the options are empty and the jar starts as usual.
 */
public final class ClassDataArchive {
    /** Runs the jar once with these JVM options, exercises it, and stops it so that its JVM exits (the dump is then). */
    @FunctionalInterface
    public interface Training {
        void run(List<String> recordingOptions) throws Exception;
    }

    private static final Map<Path, List<String>> OPTIONS = new HashMap<>();

    private ClassDataArchive() {}

    /** JVM options that start {@code jar} from its archive, made by {@code training} when missing or older than the jar. */
    public static synchronized List<String> optionsFor(Path jar, Training training) {
        return OPTIONS.computeIfAbsent(jar.toAbsolutePath(), absolute -> {
            Path archive = absolute.resolveSibling(absolute.getFileName() + ".jsa");
            return archived(absolute, archive, training)
                    // a stale or foreign archive is refused by the JVM; its warning would only be noise in app output
                    ? List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off,cds+dynamic=off")
                    : List.of();
        });
    }

    private static boolean archived(Path jar, Path archive, Training training) {
        try {
            if (Files.exists(archive) && Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(jar)) > 0) {
                return true;
            }
            Path partial = archive.resolveSibling(archive.getFileName() + ".partial");
            Files.deleteIfExists(partial);
            training.run(List.of("-XX:ArchiveClassesAtExit=" + partial));
            if (!Files.exists(partial)) {
                return false;
            }
            Files.move(partial, archive, StandardCopyOption.REPLACE_EXISTING);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    /** Stops a trained process with SIGTERM and waits for its JVM to exit, archive written. */
    public static void stop(Process process) throws InterruptedException, IOException {
        process.destroy();
        if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("the training run did not stop");
        }
    }
}
