package dev.filestaging.app;

import dev.filestaging.adapter.jersey.events.HttpWebhookTransport;
import dev.filestaging.app.config.EventsConfiguration;
import dev.filestaging.domain.events.EventFeed;
import dev.filestaging.domain.events.WebhookDispatcher;
import dev.filestaging.domain.events.Webhooks;
import dev.filestaging.domain.storage.CatalogStagingStore;
import dev.filestaging.ports.events.DeliveryAttempt;
import dev.filestaging.ports.out.events.WebhookStore;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * What runs around the catalog's change log: the feed and the webhooks the API serves, and the background work that
 * keeps them going: deliveries (a look for new events every {@link #DELIVERY_TICK}), the expiry of files (every
 * {@link #EXPIRY_SWEEP}: an expired file is gone within that of its time), and the trimming of events past their
 * retention.
 */
final class EventServices implements AutoCloseable {
    static final Duration DELIVERY_TICK = Duration.ofMillis(100);
    static final Duration EXPIRY_SWEEP = Duration.ofSeconds(15);
    static final Duration TRIM_EVERY = Duration.ofMinutes(10);
    /** Deliveries in flight at once: one per (endpoint, project) that has events. */
    static final int DELIVERY_WORKERS = 8;

    private final EventFeed feed;
    private final Webhooks webhooks;
    private final WebhookDispatcher dispatcher;
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, daemon("event-scheduler"));
    private final ExecutorService deliveries = Executors.newFixedThreadPool(DELIVERY_WORKERS, daemon("webhook-delivery"));

    private EventServices(CatalogStagingStore store, WebhookStore hooks, EventsConfiguration.Events settings,
                          Function<WebhookDispatcher, BiConsumer<String, DeliveryAttempt>> attempts) {
        Clock clock = Clock.systemUTC();
        HttpWebhookTransport transport = new HttpWebhookTransport(
                HttpWebhookTransport.Settings.defaults("files-staging/" + FilesApp.version())
                        .allowingPrivateTargets(settings.allowPrivateTargets())
                        .answeringWithin(settings.deliveryTimeout()));
        this.feed = new EventFeed(store.catalog(), clock);
        this.webhooks = new Webhooks(hooks, transport, store.catalog(), clock);
        // the listener (the meters) reads what the dispatcher waits for, so it is made once the dispatcher is
        AtomicReference<BiConsumer<String, DeliveryAttempt>> told = new AtomicReference<>((id, attempt) -> { });
        this.dispatcher = new WebhookDispatcher(hooks, transport, store.catalog(), clock, deliveries,
                (id, attempt) -> told.get().accept(id, attempt));
        told.set(attempts.apply(dispatcher));
    }

    /**
     * Starts deliveries, the expiry of files and the trimming of events.
     *
     * @param attempts what is told of each delivery attempt, given the dispatcher (the meters read what it waits for)
     */
    static EventServices start(CatalogStagingStore store, WebhookStore hooks, EventsConfiguration.Events settings,
                               Function<WebhookDispatcher, BiConsumer<String, DeliveryAttempt>> attempts,
                               PrintStream console) {
        EventServices services = new EventServices(store, hooks, settings, attempts);
        services.every(DELIVERY_TICK, services.dispatcher::tick, "looking for events to deliver", console);
        services.every(EXPIRY_SWEEP, () -> {
            int expired = store.expireFiles();
            if (expired > 0) {
                console.printf("removed %d expired files%n", expired);
            }
        }, "the expiry of files", console);
        services.every(TRIM_EVERY, () -> store.trimEvents(settings.retention()), "trimming old events", console);
        return services;
    }

    private void every(Duration period, Runnable task, String what, PrintStream console) {
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                // the catalog may be unreachable for a while: say so, and try again at the next turn
                console.println("warning: " + what + " failed, will retry: " + e.getMessage());
            }
        }, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    }

    EventFeed feed() {
        return feed;
    }

    Webhooks webhooks() {
        return webhooks;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        deliveries.shutdownNow();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
