package dev.filestaging.adapter.jersey.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MinimumRateInputStreamTest {

    private static final long WINDOW = TimeUnit.SECONDS.toNanos(10);
    private final AtomicLong clock = new AtomicLong();

    /** A client sending {@code bytesPerRead} bytes every {@code secondsPerRead} seconds, read by us without delay. */
    private InputStream client(int bytesPerRead, long secondsPerRead) {
        return new InputStream() {
            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] buffer, int offset, int length) {
                clock.addAndGet(TimeUnit.SECONDS.toNanos(secondsPerRead));
                return Math.min(length, bytesPerRead);
            }
        };
    }

    @Test
    void a_client_trickling_one_byte_a_second_is_given_up_after_one_window() throws IOException {
        InputStream in = new MinimumRateInputStream(client(1, 1), WINDOW, 100, clock::get);
        byte[] buffer = new byte[100];
        for (int i = 0; i < 9; i++) {
            assertThat(in.read(buffer, 0, buffer.length)).isEqualTo(1);
        }
        assertThatThrownBy(() -> in.read(buffer, 0, buffer.length))
                .isInstanceOf(MinimumRateInputStream.TooSlow.class)
                .hasMessageContaining("10 bytes in 10000 ms");
    }

    @Test
    void a_client_at_the_minimum_rate_goes_on_for_ever() throws IOException {
        InputStream in = new MinimumRateInputStream(client(100, 1), WINDOW, 100, clock::get);
        byte[] buffer = new byte[100];
        for (int i = 0; i < 1000; i++) {
            assertThat(in.read(buffer, 0, buffer.length)).isEqualTo(100);
        }
    }

    @Test
    void time_we_spend_between_reads_does_not_count_against_the_client() throws IOException {
        InputStream in = new MinimumRateInputStream(client(100, 0), WINDOW, 100, clock::get);
        byte[] buffer = new byte[100];
        for (int i = 0; i < 100; i++) {
            clock.addAndGet(TimeUnit.SECONDS.toNanos(60)); // storage pushing back: we do not read
            assertThat(in.read(buffer, 0, buffer.length)).isEqualTo(100);
        }
    }
}
