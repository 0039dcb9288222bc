package dev.filestaging.adapter.jersey.events;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import javax.net.ssl.SSLException;

/**
 * What went wrong in an exchange that got no answer, in a few words for the delivery log. The JDK's client wraps
 * its causes differently by version and path (a DNS failure is a {@link ConnectException} caused by an
 * {@link UnresolvedAddressException}), so the whole chain is searched, most telling cause first. Messages of the
 * causes are left out where they may repeat the URL, which can carry a token in its query.
 */
final class NetworkErrors {
    private NetworkErrors() {}

    static String describe(Throwable failure, HttpWebhookTransport.Settings settings) {
        if (has(failure, HttpConnectTimeoutException.class)) {
            return "could not connect within " + seconds(settings.connectTimeout());
        }
        if (has(failure, HttpTimeoutException.class)) {
            return "no answer within " + seconds(settings.answerTimeout());
        }
        if (has(failure, UnresolvedAddressException.class) || has(failure, UnknownHostException.class)) {
            return "the host cannot be resolved";
        }
        if (has(failure, SSLException.class)) {
            return "TLS failed: " + message(find(failure, SSLException.class));
        }
        if (has(failure, ConnectException.class)) {
            return "could not connect: connection refused or unreachable";
        }
        return "the exchange failed: " + message(failure);
    }

    /**
     * Whether the connection closed before any byte of an answer: an end of stream or a reset while waiting for the
     * status line, not a timeout, a refusal or a TLS failure.
     */
    static boolean closedBeforeAnswer(Throwable failure) {
        if (has(failure, HttpTimeoutException.class) || has(failure, ConnectException.class)
                || has(failure, SSLException.class) || has(failure, UnresolvedAddressException.class)) {
            return false;
        }
        Throwable cause = failure;
        for (int depth = 0; cause != null && depth < 16; depth++, cause = cause.getCause()) { // a chain can loop
            String message = String.valueOf(cause.getMessage());
            if (cause instanceof java.io.EOFException || message.contains("header parser received no bytes")
                    || message.contains("Connection reset") || message.contains("connection was closed")) {
                return true;
            }
        }
        return false;
    }

    /** {@code duration} as a person reads it: {@code 10 s}, {@code 250 ms}. */
    static String seconds(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }

    private static boolean has(Throwable failure, Class<? extends Throwable> type) {
        return find(failure, type) != null;
    }

    private static Throwable find(Throwable failure, Class<? extends Throwable> type) {
        // bounded: a cause chain can loop
        for (int depth = 0; failure != null && depth < 16; failure = failure.getCause(), depth++) {
            if (type.isInstance(failure)) {
                return failure;
            }
        }
        return null;
    }

    private static String message(Throwable failure) {
        String message = failure.getMessage();
        String text = message == null || message.isBlank() ? failure.getClass().getSimpleName() : message;
        return text.length() <= 120 ? text : text.substring(0, 119) + "…";
    }
}
