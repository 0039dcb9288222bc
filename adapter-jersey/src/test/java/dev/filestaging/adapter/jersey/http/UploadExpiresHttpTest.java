package dev.filestaging.adapter.jersey.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.filestaging.adapter.jersey.ApiUnderTest;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** {@code Upload-Expires} is an IMF-fixdate (RFC 9110 §5.6.7), as the tus expiration extension requires. */
class UploadExpiresHttpTest {
    private static final String IMF_FIXDATE =
            "(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \\d{4} \\d{2}:\\d{2}:\\d{2} GMT";

    @Test
    void a_day_of_the_month_under_ten_has_two_digits() {
        assertThat(TusProtocol.httpDate(Instant.parse("2026-12-08T10:00:00Z"))).isEqualTo("Tue, 08 Dec 2026 10:00:00 GMT");
        assertThat(TusProtocol.httpDate(Instant.parse("2027-01-01T00:00:09.999Z"))).isEqualTo("Fri, 01 Jan 2027 00:00:09 GMT");
    }

    @Test
    void the_upload_expires_header_of_a_created_upload_is_an_imf_fixdate() throws Exception {
        try (ApiUnderTest api = new ApiUnderTest(ApiUnderTest.settings())) {
            HttpResponse<String> created = api.send(api.authorized("/v1/uploads").header("Tus-Resumable", "1.0.0")
                    .header("Upload-Length", "4").header("Upload-Metadata", "filename "
                            + Base64.getEncoder().encodeToString("dates.csv".getBytes(StandardCharsets.UTF_8)))
                    .POST(HttpRequest.BodyPublishers.noBody()));

            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            assertThat(ApiUnderTest.header(created, "Upload-Expires")).matches(IMF_FIXDATE);
        }
    }
}
