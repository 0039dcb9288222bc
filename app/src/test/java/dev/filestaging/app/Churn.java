package dev.filestaging.app;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Clients that upload files of mixed sizes under fresh names, delete some of their own files and list the area, as
 * fast as the server lets them, and remember what the server answered: the ground truth for an {@link Audit}.
 */
final class Churn {
    /** What a client sent under a name: every upload is recorded before it is sent. */
    record Sent(long size, String md5) {}

    /** Counts of what happened. */
    record Counts(int uploads, int created, int refused, int noAnswer, int deletes, int listings) {}

    private final int port;
    private final int clients;
    private final int uploadsPerClient;
    private final long[] sizes;
    private final double deleteShare;
    final Map<String, Sent> attempted;
    final Map<String, Sent> created;
    final Map<String, Boolean> deleted;
    /** Deletes sent, whether or not an answer came: one cut off by a crash may or may not have happened. */
    final Map<String, Boolean> deleteSent;
    final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    private final AtomicInteger uploads = new AtomicInteger();
    private final AtomicInteger noAnswer = new AtomicInteger();
    private final AtomicInteger deletes = new AtomicInteger();
    private final AtomicInteger listings = new AtomicInteger();
    private volatile boolean stopped;

    /**
     * @param sizes       file sizes drawn uniformly for each upload
     * @param deleteShare the share of steps that delete one of the client's own files instead of uploading
     */
    Churn(int port, int clients, int uploadsPerClient, long[] sizes, double deleteShare) {
        this(port, clients, uploadsPerClient, sizes, deleteShare, new ConcurrentHashMap<>(), new ConcurrentHashMap<>(),
                new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
    }

    /** Another run of the same clients against {@code port} (a restarted server), remembering what came before. */
    Churn continuing(int newPort) {
        return new Churn(newPort, clients, uploadsPerClient, sizes, deleteShare, attempted, created, deleted, deleteSent);
    }

    private Churn(int port, int clients, int uploadsPerClient, long[] sizes, double deleteShare,
                  Map<String, Sent> attempted, Map<String, Sent> created, Map<String, Boolean> deleted,
                  Map<String, Boolean> deleteSent) {
        this.attempted = attempted;
        this.created = created;
        this.deleted = deleted;
        this.deleteSent = deleteSent;
        this.port = port;
        this.clients = clients;
        this.uploadsPerClient = uploadsPerClient;
        this.sizes = sizes.clone();
        this.deleteShare = deleteShare;
    }

    /** Runs the clients until each has made its uploads, {@code bound} has passed, or {@link #stop()}. */
    Counts run(Duration bound) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long deadline = System.nanoTime() + bound.toNanos();
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            running.add(pool.submit(() -> {
                client(client, deadline);
                return null;
            }));
        }
        for (Future<?> future : running) {
            future.get(bound.toSeconds() + 120, TimeUnit.SECONDS);
        }
        pool.shutdown();
        return counts();
    }

    void stop() {
        stopped = true;
    }

    Counts counts() {
        int refused = statuses.entrySet().stream().filter(e -> e.getKey() != 201).mapToInt(e -> e.getValue().get()).sum();
        return new Counts(uploads.get(), created.size(), refused, noAnswer.get(), deletes.get(), listings.get());
    }

    private void client(int client, long deadline) throws Exception {
        Random random = new Random(client * 7919L + System.nanoTime());
        List<String> mine = new ArrayList<>();
        int done = 0;
        while (done < uploadsPerClient && System.nanoTime() < deadline && !stopped) {
            double step = random.nextDouble();
            try {
                if (step < deleteShare && !mine.isEmpty()) {
                    String name = mine.remove(random.nextInt(mine.size()));
                    deleteSent.put(name, true);
                    int status = plain(port, "DELETE", "/v1/files/" + FilesResourcePaths.segment(name)).status();
                    deletes.incrementAndGet();
                    if (status == 204) {
                        deleted.put(name, true);
                    }
                } else if (step < deleteShare + 0.05) {
                    plain(port, "GET", "/v1/files");
                    listings.incrementAndGet();
                } else {
                    byte[] content = new byte[(int) sizes[random.nextInt(sizes.length)]];
                    random.nextBytes(content);
                    String name = "c" + client + "-" + done + "-" + Long.toHexString(random.nextLong()) + ".bin";
                    Sent sent = new Sent(content.length, E2e.md5(content));
                    attempted.put(name, sent);
                    done++;
                    uploads.incrementAndGet();
                    RawHttp.Response response = RawHttp.exchange(port,
                            RawHttp.upload(Backend.AUTH, RawHttp.multipartBody(name, content), ""), false,
                            Duration.ofSeconds(120));
                    statuses.computeIfAbsent(response.status(), s -> new AtomicInteger()).incrementAndGet();
                    if (response.status() == 201) {
                        created.put(name, sent);
                        mine.add(name);
                    }
                }
            } catch (IOException noAnswerFromServer) {
                noAnswer.incrementAndGet();
                if (stopped) {
                    return;
                }
            }
        }
    }

    /** A request without a body on a connection of its own, closed after: no idle connection outlives the run. */
    private static RawHttp.Response plain(int port, String method, String path) throws IOException {
        return RawHttp.exchange(port, (method + " " + path + " HTTP/1.1\r\nHost: localhost\r\n" + Backend.AUTH
                + "\r\nConnection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8), false,
                Duration.ofSeconds(60));
    }
}
