package dev.filestaging.app.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Times storage calls in {@code files.storage.calls}, by operation, backend and outcome ({@code ok} or the
 * exception's simple name): how fast the storage answers and how often it fails, beside the HTTP meters.
 */
record StorageCallTimer(MeterRegistry registry, String backend) {

    void run(String operation, Runnable call) {
        timed(operation, () -> {
            call.run();
            return null;
        });
    }

    <T> T timed(String operation, Supplier<T> call) {
        long started = System.nanoTime();
        String outcome = "ok";
        try {
            return call.get();
        } catch (RuntimeException e) {
            outcome = e.getClass().getSimpleName();
            throw e;
        } finally {
            Timer.builder("files.storage.calls").description("storage calls by operation, backend and outcome")
                    .tags("operation", operation, "backend", backend, "outcome", outcome)
                    .register(registry).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }
    }
}
