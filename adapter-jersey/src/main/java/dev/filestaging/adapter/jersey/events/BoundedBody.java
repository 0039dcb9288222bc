package dev.filestaging.adapter.jersey.events;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Keeps at most {@code limit} bytes of an answer's body and stops reading there: the subscription is cancelled,
 * which closes the connection, so an endless body costs neither memory nor time. A body that ends within the limit
 * is read to its end and the connection can be used again. One instance per exchange: it remembers the answer's head
 * for the case where the body does not end in time.
 */
final class BoundedBody implements HttpResponse.BodyHandler<byte[]> {
    private final int limit;
    private volatile HttpResponse.ResponseInfo head;

    BoundedBody(int limit) {
        this.limit = limit;
    }

    @Override
    public HttpResponse.BodySubscriber<byte[]> apply(HttpResponse.ResponseInfo info) {
        head = info;
        return new Prefix(limit);
    }

    /** The status and headers, once they have arrived. */
    Optional<HttpResponse.ResponseInfo> head() {
        return Optional.ofNullable(head);
    }

    /**
     * The first bytes of a body. Reactive Streams signals one subscriber's methods one at a time, each after the
     * previous one (rule 1.3), so the buffer needs no lock.
     */
    private static final class Prefix implements HttpResponse.BodySubscriber<byte[]> {
        private final int limit;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private final CompletableFuture<byte[]> body = new CompletableFuture<>();
        private Flow.Subscription subscription;

        Prefix(int limit) {
            this.limit = limit;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            if (limit == 0) {
                finish();
            } else {
                subscription.request(1);
            }
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            if (body.isDone()) {
                return; // signals already on their way when it was cancelled
            }
            for (ByteBuffer buffer : buffers) {
                int take = Math.min(buffer.remaining(), limit - kept.size());
                byte[] bytes = new byte[take];
                buffer.get(bytes);
                kept.write(bytes, 0, take);
                if (kept.size() >= limit) {
                    finish();
                    return;
                }
            }
            subscription.request(1);
        }

        @Override
        public void onError(Throwable failure) {
            body.completeExceptionally(failure);
        }

        @Override
        public void onComplete() {
            body.complete(kept.toByteArray());
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return body;
        }

        private void finish() {
            subscription.cancel();
            body.complete(kept.toByteArray());
        }
    }
}
