package dev.filestaging.adapter.jersey.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** The failures the JDK's client reports without an answer, as the delivery log words them. */
class NetworkErrorsTest {
    private static final HttpWebhookTransport.Settings SETTINGS = HttpWebhookTransportTest.settings(true);

    @Test
    void each_failure_is_named_by_its_most_telling_cause() {
        assertThat(describe(new HttpConnectTimeoutException("HTTP connect timed out")))
                .isEqualTo("could not connect within 500 ms");
        assertThat(describe(new HttpTimeoutException("request timed out"))).isEqualTo("no answer within 800 ms");
        assertThat(describe(wrapped(new ConnectException(), new UnresolvedAddressException())))
                .isEqualTo("the host cannot be resolved");
        assertThat(describe(wrapped(new IOException("wrapped"),
                new SSLHandshakeException("PKIX path building failed"))))
                .isEqualTo("TLS failed: PKIX path building failed");
        assertThat(describe(new ConnectException())).isEqualTo("could not connect: connection refused or unreachable");
        assertThat(describe(new IOException("HTTP/1.1 header parser received no bytes")))
                .isEqualTo("the exchange failed: HTTP/1.1 header parser received no bytes");
        assertThat(describe(new IOException())).isEqualTo("the exchange failed: IOException");
        assertThat(describe(new IOException("x".repeat(1000)))).hasSizeLessThan(150);
    }

    @Test
    void a_cause_chain_that_loops_ends() {
        IOException first = new IOException("first");
        IOException second = new IOException("second", first);
        first.initCause(second);
        assertThat(describe(first)).isEqualTo("the exchange failed: first");
    }

    @Test
    void a_connection_closed_before_any_answer_is_told_from_timeouts_refusals_and_tls() {
        assertThat(NetworkErrors.closedBeforeAnswer(new IOException("HTTP/1.1 header parser received no bytes")))
                .isTrue();
        assertThat(NetworkErrors.closedBeforeAnswer(wrapped(new IOException("wrapped"), new java.io.EOFException())))
                .isTrue();
        assertThat(NetworkErrors.closedBeforeAnswer(new java.net.SocketException("Connection reset"))).isTrue();
        assertThat(NetworkErrors.closedBeforeAnswer(new HttpTimeoutException("request timed out"))).isFalse();
        assertThat(NetworkErrors.closedBeforeAnswer(new ConnectException())).isFalse();
        assertThat(NetworkErrors.closedBeforeAnswer(wrapped(new IOException("x"), new SSLHandshakeException("y"))))
                .isFalse();
        IOException first = new IOException("first");
        first.initCause(new IOException("second", first));
        assertThat(NetworkErrors.closedBeforeAnswer(first)).isFalse();
    }

    private static String describe(Throwable failure) {
        return NetworkErrors.describe(failure, SETTINGS);
    }

    private static <T extends Throwable> T wrapped(T outer, Throwable cause) {
        outer.initCause(cause);
        return outer;
    }
}
