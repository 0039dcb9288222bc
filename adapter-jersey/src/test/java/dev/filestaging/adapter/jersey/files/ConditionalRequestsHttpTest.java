package dev.filestaging.adapter.jersey.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.filestaging.adapter.jersey.ApiUnderTest;
import dev.filestaging.ports.ByteRange;
import dev.filestaging.ports.fixtures.MutableClock;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Conditional requests (RFC 9110 §13) against a name whose versions follow each other within one second: a date must
 * never validate another version, on reads (If-Range, If-Modified-Since) or deletes (If-Unmodified-Since), and DELETE
 * honours every condition the content GET does. The domain's clock is set by hand, so "the same second" is exact.
 */
class ConditionalRequestsHttpTest {
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter
            .ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    /** A whole second an hour ago (in the past, so that no date here is "in the future"), plus 100 ms. */
    private final Instant second = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
    private final MutableClock clock = new MutableClock(second.plusMillis(100));
    private ApiUnderTest api;

    @BeforeEach
    void start() throws Exception {
        api = new ApiUnderTest(ApiUnderTest.settings(), store -> null, clock);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private static byte[] bytes(int size, int seed) {
        byte[] content = new byte[size];
        Arrays.fill(content, (byte) seed);
        return content;
    }

    /** {@code ir.bin} stored at .100 and, after a delete, again at .800 of the same second: two versions, one date. */
    private String replacedWithinOneSecond() throws Exception {
        api.upload("/v1/files", "ir.bin", bytes(1000, 'a'));
        String lastModified = api.get("/v1/files/ir.bin/content").headers().firstValue("Last-Modified").orElseThrow();
        assertThat(api.send(api.authorized("/v1/files/ir.bin").DELETE()).statusCode()).isEqualTo(204);
        clock.advance(Duration.ofMillis(700));
        api.upload("/v1/files", "ir.bin", bytes(1000, 'b'));
        assertThat(api.get("/v1/files/ir.bin/content").headers().firstValue("Last-Modified")).contains(lastModified);
        return lastModified;
    }

    @Test
    void if_range_with_the_date_of_a_version_replaced_in_the_same_second_gets_the_whole_new_version() throws Exception {
        String firstVersionDate = replacedWithinOneSecond();

        HttpResponse<String> resumed = api.get("/v1/files/ir.bin/content", "Range", "bytes=500-",
                "If-Range", firstVersionDate);

        assertThat(resumed.statusCode()).as("never the new version's bytes after the old one's").isEqualTo(200);
        assertThat(resumed.body()).isEqualTo("b".repeat(1000));
        assertThat(api.send(api.authorized("/v1/files/ir.bin/content").header("Range", "bytes=500-")
                .header("If-Range", firstVersionDate).method("HEAD", HttpRequest.BodyPublishers.noBody()))
                .statusCode()).as("HEAD answers as GET").isEqualTo(200);
        String etag = ApiUnderTest.header(resumed, "ETag");
        assertThat(api.get("/v1/files/ir.bin/content", "Range", "bytes=500-", "If-Range", etag).statusCode())
                .as("the ETag is the validator that resumes").isEqualTo(206);
    }

    @Test
    void if_modified_since_the_second_a_version_replaced_in_it_was_stored_is_not_304() throws Exception {
        String firstVersionDate = replacedWithinOneSecond();

        HttpResponse<String> revalidated = api.get("/v1/files/ir.bin/content", "If-Modified-Since", firstVersionDate);

        assertThat(revalidated.statusCode()).isEqualTo(200);
        assertThat(revalidated.body()).isEqualTo("b".repeat(1000));
        HttpResponse<String> later = api.get("/v1/files/ir.bin/content",
                "If-Modified-Since", HTTP_DATE.format(second.plusSeconds(1)));
        assertThat(later.statusCode()).as("a date after the second the version was stored in").isEqualTo(304);
        assertThat(ApiUnderTest.header(later, "ETag")).isEqualTo(ApiUnderTest.header(revalidated, "ETag"));
    }

    @Test
    void the_metadata_get_reads_its_conditions_as_the_content_get_does() throws Exception {
        String firstVersionDate = replacedWithinOneSecond();
        String etag = ApiUnderTest.header(api.get("/v1/files/ir.bin"), "ETag");

        assertThat(api.get("/v1/files/ir.bin", "If-None-Match", etag).statusCode()).isEqualTo(304);
        assertThat(api.get("/v1/files/ir.bin", "If-Match", "\"other\"").statusCode()).isEqualTo(412);
        assertThat(api.get("/v1/files/ir.bin", "If-Unmodified-Since", firstVersionDate).statusCode())
                .as("the version was stored in the second the date names: maybe after it").isEqualTo(412);
        assertThat(api.get("/v1/files/ir.bin", "If-Modified-Since", firstVersionDate).statusCode())
                .as("never 304 for a version that may be newer than the date").isEqualTo(200);
        assertThat(api.get("/v1/files/ir.bin", "If-Modified-Since", HTTP_DATE.format(second.plusSeconds(1)))
                .statusCode()).isEqualTo(304);
    }

    @Test
    void a_304_carries_the_caching_headers_and_validators_of_the_200() throws Exception {
        api.upload("/v1/files", "cached.csv", "a,b\n".getBytes());
        HttpResponse<String> whole = api.get("/v1/files/cached.csv/content");

        HttpResponse<String> unchanged = api.get("/v1/files/cached.csv/content",
                "If-None-Match", ApiUnderTest.header(whole, "ETag"));

        assertThat(unchanged.statusCode()).isEqualTo(304);
        for (String header : new String[] {"Cache-Control", "ETag", "Last-Modified", "Vary", "Expires"}) {
            assertThat(unchanged.headers().allValues(header)).as(header).isEqualTo(whole.headers().allValues(header));
        }
        assertThat(ApiUnderTest.header(unchanged, "Cache-Control")).isEqualTo("private, no-cache");
    }

    @Test
    void an_if_modified_since_in_the_future_is_ignored() throws Exception {
        api.upload("/v1/files", "future.csv", "a,b\n".getBytes());

        HttpResponse<String> answer = api.get("/v1/files/future.csv/content",
                "If-Modified-Since", HTTP_DATE.format(Instant.now().plus(Duration.ofDays(1))));

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("a,b\n");
    }

    @Test
    void if_range_that_is_not_exactly_one_strong_etag_gets_the_whole_file() throws Exception {
        api.upload("/v1/files", "tagged.csv", "0123456789".getBytes());
        String etag = ApiUnderTest.header(api.get("/v1/files/tagged.csv"), "ETag");

        for (String ifRange : new String[] {etag + "garbage", etag + ", " + etag, "W/" + etag, "x" + etag,
                etag.substring(0, etag.length() - 1), ""}) {
            HttpResponse<String> answer = api.get("/v1/files/tagged.csv/content", "Range", "bytes=2-", "If-Range", ifRange);
            assertThat(answer.statusCode()).as(ifRange).isEqualTo(200);
            assertThat(answer.body()).as(ifRange).isEqualTo("0123456789");
        }
        assertThat(api.get("/v1/files/tagged.csv/content", "Range", "bytes=2-", "If-Range", " " + etag + " ")
                .statusCode()).isEqualTo(206);
    }

    @Test
    void delete_honours_if_none_match_and_if_unmodified_since_like_the_content_get() throws Exception {
        api.upload("/v1/files", "kept.csv", "a,b\n".getBytes());
        String etag = ApiUnderTest.header(api.get("/v1/files/kept.csv"), "ETag");

        for (String[] condition : new String[][] {{"If-None-Match", etag}, {"If-None-Match", "*"},
                {"If-None-Match", "\"other\", " + etag}, {"If-None-Match", "W/" + etag},
                {"If-None-Match", "not-a-tag"},
                {"If-Unmodified-Since", HTTP_DATE.format(second.minusSeconds(60))},
                {"If-Unmodified-Since", HTTP_DATE.format(second)}}) {
            HttpResponse<String> refused = api.send(api.authorized("/v1/files/kept.csv")
                    .header(condition[0], condition[1]).DELETE());
            assertThat(refused.statusCode()).as(condition[0] + ": " + condition[1]).isEqualTo(412);
            assertThat(refused.body()).contains("precondition_failed");
            assertThat(api.get("/v1/files/kept.csv").statusCode()).as("still there").isEqualTo(200);
        }

        assertThat(api.send(api.authorized("/v1/files/kept.csv").header("If-None-Match", "\"other\"")
                .header("If-Unmodified-Since", HTTP_DATE.format(second.plusSeconds(1))).DELETE()).statusCode())
                .isEqualTo(204);
        assertThat(api.get("/v1/files/kept.csv").statusCode()).isEqualTo(404);
        assertThat(api.send(api.authorized("/v1/files/kept.csv").header("If-None-Match", "*").DELETE()).statusCode())
                .as("nothing to delete").isEqualTo(404);
    }

    @Test
    void delete_with_if_unmodified_since_never_removes_a_version_stored_in_that_same_second() throws Exception {
        String firstVersionDate = replacedWithinOneSecond();

        HttpResponse<String> refused = api.send(api.authorized("/v1/files/ir.bin")
                .header("If-Unmodified-Since", firstVersionDate).DELETE());

        assertThat(refused.statusCode()).isEqualTo(412);
        assertThat(api.get("/v1/files/ir.bin/content").body()).isEqualTo("b".repeat(1000));
    }

    @Test
    void long_condition_and_range_headers_are_answered_in_bounded_time() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            api.upload("/v1/files", "big-headers.csv", "0123456789".getBytes());
            String etag = ApiUnderTest.header(api.get("/v1/files/big-headers.csv"), "ETag");
            // just under the server's 8 KiB of headers: hundreds of tags, or runs of spaces
            String tags = "\"x\", ".repeat(1300);
            String spaces = " ".repeat(7000);
            long started = System.nanoTime();
            assertThat(api.get("/v1/files/big-headers.csv/content", "If-Match", tags).statusCode()).isEqualTo(412);
            assertThat(api.get("/v1/files/big-headers.csv/content", "If-None-Match", tags + etag).statusCode())
                    .isEqualTo(304);
            assertThat(api.send(api.authorized("/v1/files/big-headers.csv").header("If-None-Match", tags).DELETE())
                    .statusCode()).isEqualTo(204);
            api.upload("/v1/files", "big-headers.csv", "0123456789".getBytes());
            assertThat(api.get("/v1/files/big-headers.csv/content", "Range", "bytes=" + spaces + "x").statusCode())
                    .isEqualTo(200);
            assertThat(api.get("/v1/files/big-headers.csv/content", "Range", "bytes=1-" + spaces + "x").statusCode())
                    .isEqualTo(200);
            assertThat(api.get("/v1/files/big-headers.csv/content", "Range", "bytes=" + "0-1,".repeat(1700) + "2-3")
                    .statusCode()).as("many ranges: the whole file").isEqualTo(200);
            assertThat(api.get("/v1/files/big-headers.csv/content", "Range", "bytes=1-2", "If-Range", tags)
                    .statusCode()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
            // past the server's limit: refused before any of this code runs
            assertThat(api.get("/v1/files/big-headers.csv/content", "If-Range", "\"x\"".repeat(64 * 1024 / 3))
                    .statusCode()).isEqualTo(431);
        });
    }

    @Test
    void the_header_readers_take_time_linear_in_what_a_client_sends() {
        String mebibyteOfSpaces = " ".repeat(1 << 20);
        String mebibyteOfTags = "W/\"x\",".repeat((1 << 20) / 6);
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            assertThat(RangeHeader.parse("bytes=" + mebibyteOfSpaces + "x")).isEqualTo(ByteRange.WHOLE);
            assertThat(RangeHeader.parse("bytes=1-" + mebibyteOfSpaces + "x")).isEqualTo(ByteRange.WHOLE);
            assertThat(RangeHeader.parse(mebibyteOfSpaces + "bytes=1-2" + mebibyteOfSpaces))
                    .isEqualTo(new ByteRange.Span(1, 2));
            assertThat(EntityTags.list(mebibyteOfTags)).hasValueSatisfying(tags -> assertThat(tags).hasSize((1 << 20) / 6));
            assertThat(EntityTags.list(mebibyteOfTags + "\"unterminated")).isEmpty();
            assertThat(Preconditions.date(mebibyteOfSpaces)).isEmpty();
        });
    }
}
