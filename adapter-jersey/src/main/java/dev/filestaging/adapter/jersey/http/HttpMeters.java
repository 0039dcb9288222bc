package dev.filestaging.adapter.jersey.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The HTTP API's meters: requests by method, route, status and problem code (a timer, so counts and durations, with
 * histogram buckets), body bytes in and out by route, and transfers streaming now. Every tag comes from a bounded set
 * (HTTP's methods or {@code other}, routes, statuses, the problem catalogue or {@code aborted}), never from a name, a
 * principal or anything else a client chooses freely.
 */
public final class HttpMeters implements Consumer<CompletedRequest> {
    private final MeterRegistry registry;

    public HttpMeters(MeterRegistry registry, TransferSlots transfers) {
        this.registry = registry;
        Gauge.builder("files.http.transfers.active", transfers, TransferSlots::inUse)
                .description("uploads and downloads streaming now").register(registry);
    }

    @Override
    public void accept(CompletedRequest request) {
        Timer.builder("files.http.requests")
                .description("requests by method, route, status and problem code (aborted: the client left mid-answer),"
                        + " from arrival to the last byte")
                .tags("method", request.method(), "route", request.route(), "status", Integer.toString(request.status()),
                        "code", request.aborted() ? "aborted" : request.code() == null ? "none" : request.code())
                .publishPercentileHistogram()
                .register(registry)
                .record(request.durationNanos(), TimeUnit.NANOSECONDS);
        if (request.bytesIn() > 0) {
            Counter.builder("files.http.received.bytes").description("request body bytes read")
                    .baseUnit("bytes").tag("route", request.route()).register(registry).increment(request.bytesIn());
        }
        if (request.bytesOut() > 0) {
            Counter.builder("files.http.sent.bytes").description("answer body bytes written")
                    .baseUnit("bytes").tag("route", request.route()).register(registry).increment(request.bytesOut());
        }
    }
}
