package dev.filestaging.adapter.jersey.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.filestaging.adapter.jersey.ApiUnderTest;
import dev.filestaging.domain.links.FileLinks;
import dev.filestaging.ports.fixtures.InMemorySmallRecordStore;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** X-Forwarded-Proto and -Host name the client's address only when a trusted proxy sends them. */
class ForwardedHeadersHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ApiUnderTest api(List<String> trustedProxies) throws Exception {
        HttpSettings d = ApiUnderTest.settings();
        HttpSettings settings = new HttpSettings(d.host(), 0, d.maxUploadBytes(), 8, d.idleTimeout(),
                d.minUploadBytesPerSecond(), 0, d.shutdownGrace(), Optional.empty(), trustedProxies, List.of());
        ApiUnderTest api = new ApiUnderTest(settings,
                store -> new FileLinks(store, new InMemorySmallRecordStore(), Clock.systemUTC(), Duration.ofDays(1)));
        api.upload("/v1/files", "a.csv", "a,b\n".getBytes(StandardCharsets.UTF_8));
        return api;
    }

    private static String linkVia(ApiUnderTest api, String proto, String host) throws Exception {
        HttpRequest.Builder request = api.authorized("/v1/files/a.csv/links").header("X-Forwarded-Proto", proto)
                .header("X-Forwarded-Host", host).POST(HttpRequest.BodyPublishers.noBody());
        return JSON.readTree(api.send(request).body()).get("url").asText();
    }

    @Test
    void a_trusted_proxys_headers_name_the_address_clients_used() throws Exception {
        try (ApiUnderTest api = api(List.of("127.0.0.0/8", "::1"))) {
            assertThat(linkVia(api, "https", "files.example.com")).startsWith("https://files.example.com/v1/links/");
            assertThat(linkVia(api, "https", "files.example.com:8443")).startsWith("https://files.example.com:8443/v1/links/");
            String problemType = JSON.readTree(api.send(api.authorized("/v1/files/none.csv")
                    .header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "files.example.com")).body())
                    .get("type").asText();
            assertThat(problemType).isEqualTo("https://files.example.com/docs/problems#file_not_found");
            // what is not a scheme or a host name is ignored
            assertThat(linkVia(api, "gopher", "evil.example/path")).startsWith(api.uri("/v1/links/").toString());
        }
    }

    @Test
    void anyone_elses_are_removed_before_the_request_is_read() throws Exception {
        try (ApiUnderTest api = api(List.of("10.0.0.0/8"))) {
            assertThat(linkVia(api, "https", "evil.example.net")).startsWith(api.uri("/v1/links/").toString());
        }
        try (ApiUnderTest api = api(List.of())) {
            assertThat(linkVia(api, "https", "evil.example.net")).startsWith(api.uri("/v1/links/").toString());
        }
    }

    @Test
    void a_pattern_that_is_no_address_or_range_is_refused() {
        assertThatThrownBy(() -> TrustedProxies.of(List.of("proxy.example.com")))
                .hasMessageContaining("'proxy.example.com' is not an IP address or CIDR range");
        assertThatThrownBy(() -> TrustedProxies.of(List.of("10.0.0.0/99"))).hasMessageContaining("10.0.0.0/99");
        assertThat(TrustedProxies.of(List.of("10.0.0.0/8", "fd00::/8", "192.168.1.7")).trusts("10.1.2.3")).isTrue();
        assertThat(TrustedProxies.of(List.of("10.0.0.0/8")).trusts("11.1.2.3")).isFalse();
    }
}
