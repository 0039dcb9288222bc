package dev.filestaging.app;

import dev.filestaging.adapter.s3.testing.S3TestServer;
import dev.filestaging.domain.StagingService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;

/**
 * What a model-based test of resumable uploads on an S3 server shares across its sequences: the server (S3Proxy, in
 * a directory of its own) and the content writers' pool. Started once per test container, stopped with a summary.
 */
final class ModelS3Server {
    final S3TestServer s3;
    final ExecutorService writers;
    private final Path directory;

    private ModelS3Server(S3TestServer s3, ExecutorService writers, Path directory) {
        this.s3 = s3;
        this.writers = writers;
        this.directory = directory;
    }

    static ModelS3Server start(String name) throws IOException {
        Path directory = Files.createTempDirectory(name + "-");
        return new ModelS3Server(S3TestServer.start(directory), StagingService.contentWriterPool(), directory);
    }

    /** Closes what the model left open, then the pool and the server; prints how much ran. */
    void stop(UploadsModelActions actions, String what) throws IOException {
        actions.closeAll();
        writers.shutdownNow();
        s3.close();
        ResumableUploadsModelTest.DataDirectory.deleteTree(directory);
        System.out.printf("resumable uploads model, %s: %d sequences, %d steps%n", what, actions.sequences.get(),
                actions.steps.get());
    }
}
