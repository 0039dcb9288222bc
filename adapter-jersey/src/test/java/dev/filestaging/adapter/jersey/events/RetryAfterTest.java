package dev.filestaging.adapter.jersey.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryAfterTest {
    private static final Instant NOW = Instant.parse("1994-11-06T08:48:37Z");

    @Test
    void delta_seconds_are_taken_as_they_are_up_to_a_day() {
        assertThat(parse("0")).contains(Duration.ZERO);
        assertThat(parse(" 120 ")).contains(Duration.ofSeconds(120));
        assertThat(parse("86400")).contains(Duration.ofDays(1));
        assertThat(parse("86401")).contains(Duration.ofDays(1));
        assertThat(parse("99999999999999999999999999")).contains(Duration.ofDays(1));
    }

    @Test
    void the_three_forms_of_an_http_date_are_read_relative_to_now() {
        for (String date : List.of("Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT",
                "Sun Nov  6 08:49:37 1994")) {
            assertThat(parse(date)).as(date).contains(Duration.ofSeconds(60));
        }
        assertThat(parse("Sun, 06 Nov 1994 08:40:00 GMT")).as("already past").contains(Duration.ZERO);
        assertThat(parse("Fri, 01 Jan 2100 00:00:00 GMT")).contains(Duration.ofDays(1));
    }

    @Test
    void anything_else_is_ignored() {
        for (String malformed : List.of("", "-5", "1.5", "soon", "120s", "Sun, 06 Nov 1994", "0x10",
                "Mon, 06 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 +0100 junk")) {
            assertThat(parse(malformed)).as(malformed).isEmpty();
        }
        assertThat(RetryAfter.parse(Optional.empty(), NOW)).isEmpty();
    }

    private static Optional<Duration> parse(String value) {
        return RetryAfter.parse(Optional.of(value), NOW);
    }
}
